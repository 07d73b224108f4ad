"""Fashion-MNIST from local idx files, found without a download where possible."""

from ssl_zoo.data import data_paths
from ssl_zoo.data import mnist_family

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

FASHION_MNIST_FILES = [name + ".gz" for name in mnist_family.SPLIT_FILES]

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
    copy, looked = data_paths.find_copy(
        "Fashion-MNIST", path, data_paths.candidate_folders("fashion-mnist", DEBIAN_PATH),
        mnist_family.probe,
    )
    if copy is not None:
        return mnist_family.read_splits(copy, "Fashion-MNIST", len(FASHION_MNIST_CLASS_NAMES))
    download_note = "download disabled (download=False)"
    if download:
        import keras

        try:
            return keras.datasets.fashion_mnist.load_data()
        except Exception as e:  # Any failure of the download means "not available here".
            download_note = f"keras.datasets.fashion_mnist.load_data() failed: {type(e).__name__}: {e}"
    raise data_paths.not_found(
        "Fashion-MNIST",
        f"Install it with `sudo apt-get install {DEBIAN_PACKAGE}` (files in {DEBIAN_PATH}), or "
        f"put the four idx files ({', '.join(FASHION_MNIST_FILES)}) in "
        "$SSL_ZOO_DATA/fashion-mnist, or pass their folder as `path`.",
        looked + [download_note],
    )
