"""STL-10 from its binary files, mapped from disk rather than read into memory."""

import os

import numpy as np

from ssl_zoo.data import data_paths

STL10_CLASS_NAMES = [
    "airplane", "bird", "car", "cat", "deer", "dog", "horse", "monkey", "ship", "truck",
]

_FOLDER = "stl10_binary"
_IMAGE_SHAPE = (96, 96, 3)
_IMAGE_BYTES = 96 * 96 * 3
_HOW_TO_GET = (
    "Download stl10_binary.tar.gz from https://cs.stanford.edu/~acoates/stl10/, extract it "
    "(the files are read in place, so they stay on disk), and put the stl10_binary/ folder in "
    "$SSL_ZOO_DATA, or pass it as `path`."
)


def load_stl10(path=None):
    """Loads the labeled splits of STL-10 (Coates, Lee and Ng, 2011), offline.

    The folder `stl10_binary/` of the extracted `stl10_binary.tar.gz` is looked for, in order,
    in:
    1. `path`, when given (then nowhere else): that folder or one holding it;
    2. `$SSL_ZOO_DATA/stl10_binary`, then `$SSL_ZOO_DATA`;
    3. the Keras cache, `$KERAS_HOME/datasets/stl10_binary` (default `~/.keras/...`).
    Nothing is downloaded. The images are memory-mapped: pages are read when used.

    Args:
        path: None or path-like. Where the copy is.

    Returns:
        `(x_train, y_train), (x_test, y_test)`: uint8 RGB images `(5000, 96, 96, 3)` and
        `(8000, 96, 96, 3)` (read-only views of the files), uint8 labels `(n,)` in `0..9`
        (the files hold 1..10; names in `STL10_CLASS_NAMES`).

    Raises:
        FileNotFoundError: no copy at `path` or anywhere (the message says how to get one).
        ValueError: naming the file, when an image file is not a whole number of 96x96x3
            images, images and labels disagree in number, or a label is not in 1..10.

    Example:
    ```python
    (x_train, y_train), (x_test, y_test) = ssl_zoo.data.load_stl10()
    x_train.shape, ssl_zoo.data.STL10_CLASS_NAMES[y_train[0]]  # (5000, 96, 96, 3), 'monkey'
    ```
    """
    folder = _find(path, ("train_X.bin", "train_y.bin", "test_X.bin", "test_y.bin"))
    return tuple(_labeled_split(folder, split) for split in ("train", "test"))


def load_stl10_unlabeled(path=None):
    """The 100,000 unlabeled STL-10 images, the usual self-supervised pretraining set.

    Looked for as `load_stl10` looks, for `unlabeled_X.bin` (2.8 GB, memory-mapped: it is not
    read into memory).

    Args:
        path: None or path-like. Where the copy is.

    Returns:
        uint8 RGB images `(100000, 96, 96, 3)`, a read-only view of the file.

    Raises:
        As `load_stl10`.
    """
    return _images(os.path.join(_find(path, ("unlabeled_X.bin",)), "unlabeled_X.bin"))


def _find(path, names):
    if path is not None:
        path = os.path.expanduser(os.fspath(path))

    def probe(place):
        for folder in (place, os.path.join(place, _FOLDER)):
            if os.path.isdir(folder):
                missing = [n for n in names if not os.path.isfile(os.path.join(folder, n))]
                if not missing:
                    return folder, None
                if len(missing) < len(names):
                    return None, f"missing {', '.join(missing)}"
        return None, None

    folder, looked = data_paths.find_copy(
        "STL-10", path, data_paths.candidate_folders(_FOLDER), probe
    )
    if folder is None:
        raise data_paths.not_found("STL-10", _HOW_TO_GET, looked)
    return folder


def _labeled_split(folder, split):
    images = _images(os.path.join(folder, f"{split}_X.bin"))
    labels_file = os.path.join(folder, f"{split}_y.bin")
    labels = np.fromfile(labels_file, dtype=np.uint8)
    if len(labels) != len(images):
        raise ValueError(
            f"{labels_file} holds {len(labels)} labels but {split}_X.bin holds {len(images)} "
            "images; one of the two files is from another copy or truncated."
        )
    if labels.size and (labels.min() < 1 or labels.max() > len(STL10_CLASS_NAMES)):
        bad = labels[(labels < 1) | (labels > len(STL10_CLASS_NAMES))][0]
        raise ValueError(
            f"{labels_file} holds label {int(bad)}; STL-10 labels are 1..{len(STL10_CLASS_NAMES)}."
        )
    return images, labels - 1


def _images(filename):
    size = os.path.getsize(filename)
    if size % _IMAGE_BYTES:
        raise ValueError(
            f"{filename} holds {size} bytes, not a whole number of STL-10 images "
            f"({_IMAGE_BYTES} bytes each, 3x96x96): the file is truncated or not STL-10's."
        )
    if size == 0:
        return np.zeros((0,) + _IMAGE_SHAPE, np.uint8)
    # Each image is its red, green and blue planes, each 96x96 in column-major order.
    planes = np.memmap(filename, dtype=np.uint8, mode="r", shape=(size // _IMAGE_BYTES, 3, 96, 96))
    return planes.transpose(0, 3, 2, 1)
