"""MNIST, or any data set in its idx files, from local files."""

import os
import zipfile

import numpy as np

from ssl_zoo.data import data_paths
from ssl_zoo.data import mnist_family

_NPZ = "mnist.npz"
_NPZ_KEYS = ("x_train", "y_train", "x_test", "y_test")


def load_mnist(path=None, title="MNIST", num_classes=10):
    """Loads MNIST (LeCun et al., 1998), or a look-alike in its idx files, offline.

    A copy is looked for, in order, in:
    1. `path`, when given (then nowhere else): a folder holding the four idx files
       (`train-images-idx3-ubyte`, `train-labels-idx1-ubyte`, `t10k-images-idx3-ubyte`,
       `t10k-labels-idx1-ubyte`, each gzip-compressed with `.gz` or not) or `mnist.npz`, or
       that `.npz` file;
    2. `$SSL_ZOO_DATA/mnist`, then `$SSL_ZOO_DATA`;
    3. the Keras cache: `$KERAS_HOME/datasets/mnist` (idx files), then the `mnist.npz` that
       `keras.datasets.mnist.load_data()` leaves in `$KERAS_HOME/datasets`.
    Nothing is downloaded. Other data sets in the same four files (KMNIST, EMNIST's splits)
    load from an explicit `path`, with their `title` and `num_classes`.

    Args:
        path: None or path-like. Where the copy is.
        title: str. The data set's name in messages.
        num_classes: int. Labels must be in `0..num_classes - 1`.

    Returns:
        `(x_train, y_train), (x_test, y_test)`: uint8 images `(n, 28, 28)` and uint8 labels
        `(n,)`; MNIST has 60,000 and 10,000.

    Raises:
        FileNotFoundError: no copy at `path` or anywhere (the message says how to get one).
        ValueError: naming the file, when it is corrupt or truncated, its images are not
            28x28, images and labels disagree in number, or a label is out of range.

    Example:
    ```python
    (x_train, y_train), (x_test, y_test) = ssl_zoo.data.load_mnist("~/mnist")
    x_train.shape  # (60000, 28, 28)
    ```
    """
    if path is not None:
        path = os.path.expanduser(os.fspath(path))
    folders = data_paths.candidate_folders("mnist") + [data_paths.keras_datasets_folder()]
    copy, looked = data_paths.find_copy(title, path, folders, _probe)
    if copy is None:
        raise data_paths.not_found(
            title,
            "Put the four idx files (train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, "
            "t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz) in $SSL_ZOO_DATA/mnist, or "
            "pass their folder as `path`.",
            looked,
        )
    if copy.endswith(".npz"):
        return _read_npz(copy, title, num_classes)
    return mnist_family.read_splits(copy, title, num_classes)


def _probe(place):
    if os.path.isfile(place):
        return (place, None) if place.endswith(".npz") else (None, None)
    copy, missing = mnist_family.probe(place)
    if copy is None and os.path.isfile(os.path.join(place, _NPZ)):
        return os.path.join(place, _NPZ), None
    return copy, missing


def _read_npz(filename, title, num_classes):
    try:
        with np.load(filename, allow_pickle=False) as arrays:
            x_train, y_train, x_test, y_test = (arrays[key] for key in _NPZ_KEYS)
    except (OSError, ValueError, KeyError, zipfile.BadZipFile) as e:
        raise ValueError(
            f"{filename} is not a {title} .npz (arrays {', '.join(_NPZ_KEYS)}): "
            f"{type(e).__name__}: {e}"
        ) from e
    for images, labels, split in ((x_train, y_train, "train"), (x_test, y_test, "test")):
        mnist_family.check_split(
            images, labels, f"{filename}: x_{split}", f"y_{split}", title, num_classes
        )
    return (x_train, y_train.astype(np.uint8)), (x_test, y_test.astype(np.uint8))
