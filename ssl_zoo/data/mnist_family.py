"""The four idx files of the MNIST family (MNIST, Fashion-MNIST and look-alikes such as
KMNIST): where a folder holds them, and reading them as checked train and test splits."""

import os

import numpy as np

from ssl_zoo.data.idx_format import read_idx

SPLIT_FILES = (
    "train-images-idx3-ubyte",
    "train-labels-idx1-ubyte",
    "t10k-images-idx3-ubyte",
    "t10k-labels-idx1-ubyte",
)


def probe(folder):
    """`data_paths.find_copy` probe: `folder` when it holds all four files, each as
    `<name>.gz` or uncompressed `<name>`."""
    if not os.path.isdir(folder):
        return None, None
    missing = [name + ".gz" for name in SPLIT_FILES if _file(folder, name) is None]
    if not missing:
        return folder, None
    return None, (f"missing {', '.join(missing)}" if len(missing) < len(SPLIT_FILES) else None)


def read_splits(folder, title, num_classes):
    """`(x_train, y_train), (x_test, y_test)` from the four files of `folder`.

    Args:
        folder: str. A folder that `probe` accepted.
        title: str. The data set's name, for messages.
        num_classes: int. Labels must be in `0..num_classes - 1`.

    Returns:
        uint8 images `(n, 28, 28)` and uint8 labels `(n,)` per split.

    Raises:
        ValueError: a file is corrupt (`read_idx`), images and labels disagree in number, the
            images are not 28x28 or a label is out of range.
    """
    x_train, y_train, x_test, y_test = (
        read_idx(_file(folder, name), ndim=3 if "images" in name else 1) for name in SPLIT_FILES
    )
    for images, labels, split in ((x_train, y_train, "train"), (x_test, y_test, "t10k")):
        check_split(images, labels, f"{folder}: {split}-images", f"{split}-labels", title, num_classes)
    return (x_train, y_train), (x_test, y_test)


def check_split(images, labels, images_name, labels_name, title, num_classes):
    """Raises a `ValueError` naming the arrays unless `images` are `(n, 28, 28)` uint8 and
    `labels` are `n` values in `0..num_classes - 1`."""
    if images.dtype != np.uint8 or images.shape[1:] != (28, 28):
        raise ValueError(
            f"{images_name} holds images of shape {images.shape[1:]} ({images.dtype}), "
            f"{title} images are 28x28 bytes."
        )
    if labels.shape != images.shape[:1]:
        raise ValueError(
            f"{images_name} holds {len(images)} images but {labels_name} holds {labels.size} "
            "labels; one of the two is from another data set."
        )
    if labels.size and (labels.min() < 0 or labels.max() >= num_classes):
        raise ValueError(
            f"{images_name}: {labels_name} holds label {int(labels.max())}, {title} labels "
            f"are 0..{num_classes - 1}."
        )


def _file(folder, name):
    for candidate in (name + ".gz", name):
        path = os.path.join(folder, candidate)
        if os.path.isfile(path):
            return path
    return None
