"""CIFAR-10 and CIFAR-100 from their "python version" files, extracted or still in the tarball."""

import io
import os
import pickle
import tarfile

import numpy as np

from ssl_zoo.data import data_paths

CIFAR10_CLASS_NAMES = [
    "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck",
]
CIFAR100_COARSE_CLASS_NAMES = [
    "aquatic_mammals", "fish", "flowers", "food_containers", "fruit_and_vegetables",
    "household_electrical_devices", "household_furniture", "insects", "large_carnivores",
    "large_man-made_outdoor_things", "large_natural_outdoor_scenes",
    "large_omnivores_and_herbivores", "medium_mammals", "non-insect_invertebrates", "people",
    "reptiles", "small_mammals", "trees", "vehicles_1", "vehicles_2",
]
CIFAR100_FINE_CLASS_NAMES = [
    "apple", "aquarium_fish", "baby", "bear", "beaver", "bed", "bee", "beetle", "bicycle",
    "bottle", "bowl", "boy", "bridge", "bus", "butterfly", "camel", "can", "castle",
    "caterpillar", "cattle", "chair", "chimpanzee", "clock", "cloud", "cockroach", "couch",
    "crab", "crocodile", "cup", "dinosaur", "dolphin", "elephant", "flatfish", "forest", "fox",
    "girl", "hamster", "house", "kangaroo", "keyboard", "lamp", "lawn_mower", "leopard", "lion",
    "lizard", "lobster", "man", "maple_tree", "motorcycle", "mountain", "mouse", "mushroom",
    "oak_tree", "orange", "orchid", "otter", "palm_tree", "pear", "pickup_truck", "pine_tree",
    "plain", "plate", "poppy", "porcupine", "possum", "rabbit", "raccoon", "ray", "road",
    "rocket", "rose", "sea", "seal", "shark", "shrew", "skunk", "skyscraper", "snail", "snake",
    "spider", "squirrel", "streetcar", "sunflower", "sweet_pepper", "table", "tank", "telephone",
    "television", "tiger", "tractor", "train", "trout", "tulip", "turtle", "wardrobe", "whale",
    "willow_tree", "wolf", "woman", "worm",
]

_IMAGE_BYTES = 3 * 32 * 32
_HOW_TO_GET = (
    "Download {archive} from https://www.cs.toronto.edu/~kriz/cifar.html and put it (or the "
    "{folder}/ folder it holds) in $SSL_ZOO_DATA, or pass its path as `path`."
)
# (module, name) of the only globals a CIFAR batch's pickle refers to: a NumPy array.
_ARRAY_GLOBALS = frozenset({
    ("numpy.core.multiarray", "_reconstruct"),
    ("numpy._core.multiarray", "_reconstruct"),
    ("numpy", "ndarray"),
    ("numpy", "dtype"),
})


class _Layout:
    """One CIFAR version's file names: its folder, its tarball and its train and test files."""

    def __init__(self, title, folder, archive, train, test):
        self.title, self.folder, self.archive, self.train, self.test = (
            title, folder, archive, train, test,
        )

    def probe(self, place):
        """`data_paths.find_copy` probe: a `_Batches` reader of the copy at or in `place`."""
        if os.path.isfile(place):
            return (_Batches(self, place), None) if tarfile.is_tarfile(place) else (None, None)
        # The files themselves, the extracted tarball, Keras 3's cache, the tarball.
        for folder in (place, os.path.join(place, self.folder),
                       os.path.join(place, self.folder + "-target", self.folder)):
            if all(os.path.isfile(os.path.join(folder, name)) for name in self.train + self.test):
                return _Batches(self, folder), None
        archive = os.path.join(place, self.archive)
        if os.path.isfile(archive):
            return _Batches(self, archive), None
        return None, None

    def load(self, path, label_key):
        copy, looked = data_paths.find_copy(
            self.title, path,
            data_paths.candidate_folders(self.folder, extra=[data_paths.keras_datasets_folder()]),
            self.probe,
        )
        if copy is None:
            raise data_paths.not_found(
                self.title, _HOW_TO_GET.format(archive=self.archive, folder=self.folder), looked
            )
        return tuple(copy.read_split(names, label_key) for names in (self.train, self.test))


_CIFAR10 = _Layout(
    "CIFAR-10", "cifar-10-batches-py", "cifar-10-python.tar.gz",
    [f"data_batch_{i}" for i in range(1, 6)], ["test_batch"],
)
_CIFAR100 = _Layout("CIFAR-100", "cifar-100-python", "cifar-100-python.tar.gz", ["train"], ["test"])


def load_cifar10(path=None):
    """Loads CIFAR-10 (Krizhevsky, 2009) like `keras.datasets.cifar10.load_data()`, offline.

    The "CIFAR-10 python version" (`cifar-10-python.tar.gz`, read without extracting it, or
    the `cifar-10-batches-py/` folder it holds) is looked for, in order, in:
    1. `path`, when given (then nowhere else): the tarball, that folder, or a folder holding
       either;
    2. `$SSL_ZOO_DATA/cifar-10-batches-py`, then `$SSL_ZOO_DATA`;
    3. the Keras cache, `$KERAS_HOME/datasets` (default `~/.keras/datasets`), where
       `keras.datasets.cifar10` leaves it.
    Nothing is downloaded. The batches are pickles; only the NumPy array they hold is
    unpickled (any other object in the file is refused).

    Args:
        path: None or path-like. Where the copy is.

    Returns:
        `(x_train, y_train), (x_test, y_test)`: uint8 images `(50000, 32, 32, 3)` and
        `(10000, 32, 32, 3)` (RGB), uint8 labels `(n,)` in `0..9` (names in
        `CIFAR10_CLASS_NAMES`).

    Raises:
        FileNotFoundError: no copy at `path` or anywhere (the message says how to get one).
        ValueError: naming the file, when a batch is not a pickle of the expected keys, its
            images are not `n x 3072` bytes, or images and labels disagree in number.

    Example:
    ```python
    (x_train, y_train), (x_test, y_test) = ssl_zoo.data.load_cifar10("~/cifar-10-python.tar.gz")
    x_train.shape, ssl_zoo.data.CIFAR10_CLASS_NAMES[y_train[0]]  # (50000, 32, 32, 3), 'frog'
    ```
    """
    return _CIFAR10.load(_expand(path), "labels")


def load_cifar100(path=None, label_mode="fine"):
    """Loads CIFAR-100 (Krizhevsky, 2009) like `keras.datasets.cifar100.load_data()`, offline.

    Looked for as `load_cifar10` looks, for `cifar-100-python.tar.gz` or its
    `cifar-100-python/` folder (files `train` and `test`).

    Args:
        path: None or path-like. Where the copy is.
        label_mode: `"fine"` (100 classes, `CIFAR100_FINE_CLASS_NAMES`, the default) or
            `"coarse"` (20 super-classes, `CIFAR100_COARSE_CLASS_NAMES`).

    Returns:
        `(x_train, y_train), (x_test, y_test)`: uint8 images `(50000, 32, 32, 3)` and
        `(10000, 32, 32, 3)`, uint8 labels `(n,)`.

    Raises:
        As `load_cifar10`, and ValueError for another `label_mode`.
    """
    if label_mode not in ("fine", "coarse"):
        raise ValueError(
            f"`label_mode` must be 'fine' or 'coarse'. Received: label_mode={label_mode!r}"
        )
    return _CIFAR100.load(_expand(path), f"{label_mode}_labels")


def _expand(path):
    return None if path is None else os.path.expanduser(os.fspath(path))


class _Batches:
    """The batch files of one copy: a folder or the tarball (read in place)."""

    def __init__(self, layout, place):
        self.layout, self.place = layout, place

    def read_split(self, names, label_key):
        images, labels = zip(*(self._read_batch(name, label_key) for name in names))
        return np.concatenate(images), np.concatenate(labels)

    def _read_batch(self, name, label_key):
        where = os.path.join(self.place, name) if os.path.isdir(self.place) else f"{self.place}: {name}"
        try:
            batch = _ArrayUnpickler(io.BytesIO(self._bytes(name)), encoding="bytes").load()
        except Exception as e:  # Any failure to unpickle means "not a CIFAR batch".
            raise ValueError(
                f"{where} is not a CIFAR batch (a pickle of a dict with 'data' and "
                f"'{label_key}'): {type(e).__name__}: {e}. Replace it with the file from "
                f"{self.layout.archive}."
            ) from e
        if not isinstance(batch, dict):
            batch = {}
        # The batches were pickled by Python 2: their keys come back as bytes.
        batch = {key.decode() if isinstance(key, bytes) else key: v for key, v in batch.items()}
        if "data" not in batch or label_key not in batch:
            raise ValueError(
                f"{where} is not a {self.layout.title} batch: it lacks 'data' or "
                f"'{label_key}' (keys: {sorted(batch)}). Is it from the other CIFAR?"
            )
        data, labels = np.asarray(batch["data"]), np.asarray(batch[label_key])
        if data.dtype != np.uint8 or data.ndim != 2 or data.shape[1] != _IMAGE_BYTES:
            raise ValueError(
                f"{where} holds 'data' of shape {data.shape} and dtype {data.dtype}; a CIFAR "
                f"batch holds uint8 rows of {_IMAGE_BYTES} bytes (1024 red, 1024 green, 1024 "
                "blue, each row-major 32x32)."
            )
        if labels.shape != (len(data),):
            raise ValueError(
                f"{where} holds {len(data)} images but {labels.size} labels in '{label_key}'."
            )
        # Row = the red plane, then green, then blue, each 32x32 in row-major order.
        return data.reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1), labels.astype(np.uint8)

    def _bytes(self, name):
        if os.path.isdir(self.place):
            with open(os.path.join(self.place, name), "rb") as f:
                return f.read()
        with tarfile.open(self.place) as archive:
            try:
                member = archive.extractfile(f"{self.layout.folder}/{name}")
            except KeyError:
                member = None
            if member is None:
                raise FileNotFoundError(
                    f"{self.place} is not {self.layout.archive}: it holds no "
                    f"{self.layout.folder}/{name}."
                )
            return member.read()


class _ArrayUnpickler(pickle.Unpickler):
    """Unpickles dicts, lists, strings and NumPy arrays; refuses every other global."""

    def find_class(self, module, name):
        if (module, name) in _ARRAY_GLOBALS:
            return super().find_class(module.replace("numpy.core.", "numpy._core."), name)
        raise pickle.UnpicklingError(f"refused to load the global {module}.{name}")
