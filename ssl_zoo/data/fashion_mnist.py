"""Fashion-MNIST from local idx files, found without a download where possible."""

import os

from ssl_zoo.data.data_paths import candidate_folders
from ssl_zoo.data.idx_format import read_idx

FASHION_MNIST_CLASS_NAMES = [
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
]

FASHION_MNIST_FILES = [
    "train-images-idx3-ubyte.gz",
    "train-labels-idx1-ubyte.gz",
    "t10k-images-idx3-ubyte.gz",
    "t10k-labels-idx1-ubyte.gz",
]

DEBIAN_PACKAGE = "dataset-fashion-mnist"
DEBIAN_PATH = "/usr/share/datasets/fashion-mnist"


def load_fashion_mnist(path=None, download=True):
    """Loads Fashion-MNIST (Xiao et al., 2017) like `keras.datasets.fashion_mnist.load_data()`.

    The four original idx files are looked for, in order, in:
    1. `path`, when given (then nowhere else);
    2. `$SSL_ZOO_DATA/fashion-mnist`, then `$SSL_ZOO_DATA`;
    3. the Keras cache, `$KERAS_HOME/datasets/fashion-mnist` (default `~/.keras/...`);
    4. `/usr/share/datasets/fashion-mnist` (Debian package `dataset-fashion-mnist`);
    5. `keras.datasets.fashion_mnist.load_data()`, which downloads (if `download=True`).

    Args:
        path: str or None. A folder holding `train-images-idx3-ubyte.gz`,
            `train-labels-idx1-ubyte.gz`, `t10k-images-idx3-ubyte.gz` and
            `t10k-labels-idx1-ubyte.gz`.
        download: bool. Whether to try the Keras download when no local copy is found.

    Returns:
        `(x_train, y_train), (x_test, y_test)`: uint8 images `(60000, 28, 28)` and
        `(10000, 28, 28)`, uint8 labels in `0..9` (names in `FASHION_MNIST_CLASS_NAMES`).

    Raises:
        FileNotFoundError: `path` is missing or incomplete, or no copy was found anywhere (the
            message says how to install one).
        ValueError: a file is corrupt or truncated, or images and labels disagree in number.

    Example:
    ```python
    (x_train, y_train), (x_test, y_test) = ssl_zoo.data.load_fashion_mnist()
    x_train.shape, ssl_zoo.data.FASHION_MNIST_CLASS_NAMES[y_train[0]]  # (60000, 28, 28), 'Ankle boot'
    ```
    """
    if path is not None:
        path = os.fspath(path)
        if not os.path.isdir(path):
            raise FileNotFoundError(
                f"`path` must be a folder holding the Fashion-MNIST idx files "
                f"({', '.join(FASHION_MNIST_FILES)}). Received: path={path!r}, which "
                f"{'is not a folder' if os.path.exists(path) else 'does not exist'}. "
                f"Pass path=None to search $SSL_ZOO_DATA, the Keras cache and {DEBIAN_PATH}."
            )
        missing = _missing_files(path)
        if missing:
            raise FileNotFoundError(
                f"`path` lacks the Fashion-MNIST file(s) {', '.join(missing)}. Received: "
                f"path={path!r}. The folder must hold all of {', '.join(FASHION_MNIST_FILES)}."
            )
        return _load_folder(path)

    looked = [] if os.environ.get("SSL_ZOO_DATA") else ["$SSL_ZOO_DATA (not set)"]
    for folder in candidate_folders("fashion-mnist", DEBIAN_PATH):
        missing = _missing_files(folder)
        if not missing:
            return _load_folder(folder)
        looked.append(f"{folder} (missing {', '.join(missing)})" if len(missing) < 4 else folder)

    download_note = "download disabled (download=False)"
    if download:
        import keras

        try:
            return keras.datasets.fashion_mnist.load_data()
        except Exception as e:  # Any failure of the download means "not available here".
            download_note = f"keras.datasets.fashion_mnist.load_data() failed: {type(e).__name__}: {e}"
    raise FileNotFoundError(
        "Fashion-MNIST was not found. Install it with `sudo apt-get install "
        f"{DEBIAN_PACKAGE}` (files in {DEBIAN_PATH}), or put the four idx files "
        f"({', '.join(FASHION_MNIST_FILES)}) in $SSL_ZOO_DATA/fashion-mnist, or pass their "
        f"folder as `path`. Looked in: {'; '.join(looked)}; {download_note}."
    )


def _missing_files(folder):
    return [f for f in FASHION_MNIST_FILES if not os.path.isfile(os.path.join(folder, f))]


def _load_folder(folder):
    x_train, y_train, x_test, y_test = (
        read_idx(os.path.join(folder, name), ndim=3 if "images" in name else 1)
        for name in FASHION_MNIST_FILES
    )
    for images, labels, split in ((x_train, y_train, "train"), (x_test, y_test, "t10k")):
        if len(images) != len(labels):
            raise ValueError(
                f"{folder}: {split}-images holds {len(images)} images but {split}-labels holds "
                f"{len(labels)} labels; one of the two files is from another data set."
            )
        if images.shape[1:] != (28, 28):
            raise ValueError(
                f"{folder}: {split}-images holds images of shape {images.shape[1:]}, "
                "Fashion-MNIST images are 28x28."
            )
        if labels.size and labels.max() >= len(FASHION_MNIST_CLASS_NAMES):
            raise ValueError(
                f"{folder}: {split}-labels holds label {int(labels.max())}, Fashion-MNIST labels "
                f"are 0..{len(FASHION_MNIST_CLASS_NAMES) - 1}."
            )
    return (x_train, y_train), (x_test, y_test)
