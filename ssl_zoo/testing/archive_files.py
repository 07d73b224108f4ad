"""Writers of tiny CIFAR and STL-10 files, byte for byte in their published formats, so the
tests of the archive loaders need no real data.

CIFAR "python version" batches are pickles written by Python 2's cPickle (protocol 2): the
keys and the image bytes are Python 2 strings (`SHORT_BINSTRING` / `BINSTRING` opcodes, not
the `_codecs.encode` calls Python 3 writes for bytes) and `data` is a NumPy uint8 array
pickled by NumPy 1.x (`numpy.core.multiarray._reconstruct`). `python2_pickle` writes that
byte stream from the opcode table of `pickletools`.
"""

import os
import struct
import tarfile

import numpy as np


def write_cifar_batch(filename, images, labels, label_key="labels", extra=None):
    """Writes one CIFAR batch: `{"batch_label", label_key: [...], "data": (n, 3072) uint8}`.

    Args:
        filename: path of the file written.
        images: uint8 `(n, 32, 32, 3)` RGB images. Each row of `data` is the red plane, then
            the green, then the blue, each 32x32 row-major (the CIFAR page's description).
        labels: sequence of ints.
        label_key: `"labels"` (CIFAR-10), `"fine_labels"` or `"coarse_labels"` (CIFAR-100).
        extra: dict of str -> list of ints, more label lists (CIFAR-100 has both).
    """
    images = np.asarray(images, dtype=np.uint8)
    rows = np.stack([
        np.concatenate([image[:, :, channel].reshape(-1) for channel in range(3)])
        for image in images
    ]) if len(images) else np.zeros((0, 3072), np.uint8)
    batch = {"batch_label": "testing batch", label_key: [int(v) for v in labels], "data": rows}
    batch.update(extra or {})
    with open(filename, "wb") as f:
        f.write(python2_pickle(batch))


def write_cifar10(place, num_train=5, num_test=3, seed=0, tarball=False):
    """Writes `cifar-10-batches-py/` (five data batches, a test batch) under `place`, or
    `cifar-10-python.tar.gz` holding it; returns `(x_train, y_train), (x_test, y_test)`."""
    rng = np.random.default_rng(seed)
    train = _random_split(rng, num_train, 10)
    test = _random_split(rng, num_test, 10)
    # The train split in five batches of (nearly) equal size, in order.
    files = {
        f"data_batch_{i + 1}": part
        for i, part in enumerate(zip(*(np.array_split(a, 5) for a in train)))
    }
    files["test_batch"] = test
    _write_layout(place, "cifar-10-batches-py", "cifar-10-python.tar.gz", files, "labels", tarball)
    return train, test


def write_cifar100(place, num_train=4, num_test=3, seed=0):
    """Writes `cifar-100-python/` (`train`, `test`) under `place`; returns the fine and coarse
    splits `((x_train, fine, coarse), (x_test, fine, coarse))`."""
    rng = np.random.default_rng(seed)
    splits = {}
    for name, n in (("train", num_train), ("test", num_test)):
        x, fine = _random_split(rng, n, 100)
        splits[name] = (x, fine, rng.integers(0, 20, n).astype(np.uint8))
    folder = os.path.join(place, "cifar-100-python")
    os.makedirs(folder, exist_ok=True)
    for name, (x, fine, coarse) in splits.items():
        write_cifar_batch(os.path.join(folder, name), x, fine, "fine_labels",
                          extra={"coarse_labels": [int(v) for v in coarse]})
    return splits["train"], splits["test"]


def write_stl10(place, num_train=3, num_test=2, num_unlabeled=4, seed=0):
    """Writes `stl10_binary/` under `place`: `train_X.bin`, `train_y.bin`, `test_X.bin`,
    `test_y.bin`, `unlabeled_X.bin`; returns `(x_train, y_train), (x_test, y_test), x_unlabeled`
    with labels 0..9 (the files hold 1..10).

    Each image is written as the STL-10 page describes: its red, green and blue planes, each
    96x96 in column-major order (the first column top to bottom, then the second...).
    """
    rng = np.random.default_rng(seed)
    folder = os.path.join(place, "stl10_binary")
    os.makedirs(folder, exist_ok=True)
    written = []
    for split, n in (("train", num_train), ("test", num_test), ("unlabeled", num_unlabeled)):
        x, y = _random_split(rng, n, 10, size=96)
        with open(os.path.join(folder, f"{split}_X.bin"), "wb") as f:
            for image in x:
                for channel in range(3):
                    f.write(image[:, :, channel].tobytes(order="F"))
        if split != "unlabeled":
            (y + 1).astype(np.uint8).tofile(os.path.join(folder, f"{split}_y.bin"))
        written.append((x, y) if split != "unlabeled" else x)
    return tuple(written)


def python2_pickle(value):
    """The protocol-2 pickle Python 2's cPickle writes for `value`: a dict, list, str, int,
    or a NumPy uint8 array; strings as Python 2 byte strings."""
    return b"\x80\x02" + _pickle(value) + b"."


def _pickle(value):
    if isinstance(value, dict):
        items = b"".join(_pickle(k) + _pickle(v) for k, v in value.items())
        return b"}(" + items + b"u"
    if isinstance(value, list):
        return b"](" + b"".join(_pickle(v) for v in value) + b"e"
    if isinstance(value, str):
        value = value.encode("latin-1")
    if isinstance(value, bytes):
        if len(value) < 256:
            return b"U" + bytes([len(value)]) + value  # SHORT_BINSTRING
        return b"T" + struct.pack("<i", len(value)) + value  # BINSTRING
    if isinstance(value, np.ndarray):
        return _pickle_array(value)
    if isinstance(value, (int, np.integer)):
        value = int(value)
        if 0 <= value < 256:
            return b"K" + bytes([value])  # BININT1
        return b"J" + struct.pack("<i", value)  # BININT
    raise TypeError(f"python2_pickle cannot write {type(value).__name__}")


def _pickle_array(array):
    """`_reconstruct(ndarray, (0,), 'b')`, then its state `(1, shape, dtype('u1'), False,
    data)`, as NumPy 1.x pickles an array."""
    assert array.dtype == np.uint8
    shape = b"(" + b"".join(_pickle(n) for n in array.shape) + b"t"
    dtype = (
        b"cnumpy\ndtype\n" + _pickle("u1") + b"K\x00K\x01\x87R"  # dtype('u1', 0, 1)
        + b"(K\x03" + _pickle("|") + b"NNNJ\xff\xff\xff\xffJ\xff\xff\xff\xffK\x00tb"
    )
    return (
        b"cnumpy.core.multiarray\n_reconstruct\n" + b"cnumpy\nndarray\n" + b"K\x00\x85"
        + _pickle("b") + b"\x87R"
        + b"(K\x01" + shape + dtype + b"\x89" + _pickle(np.ascontiguousarray(array).tobytes())
        + b"tb"
    )


def _random_split(rng, n, num_classes, size=32):
    return (
        rng.integers(0, 256, (n, size, size, 3), dtype=np.uint8),
        rng.integers(0, num_classes, n).astype(np.uint8),
    )


def _write_layout(place, folder_name, archive_name, files, label_key, tarball):
    folder = os.path.join(place, folder_name)
    os.makedirs(folder, exist_ok=True)
    for name, (x, y) in files.items():
        write_cifar_batch(os.path.join(folder, name), x, y, label_key)
    if tarball:
        with tarfile.open(os.path.join(place, archive_name), "w:gz") as archive:
            archive.add(folder, arcname=folder_name)
        for name in files:
            os.remove(os.path.join(folder, name))
        os.rmdir(folder)
