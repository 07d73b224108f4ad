"""One entry point from a `--data` value to train and test images (used by the CLI)."""

import os

import numpy as np

from ssl_zoo.data import cifar
from ssl_zoo.data import image_folder
from ssl_zoo.data import stl10
from ssl_zoo.data.fashion_mnist import FASHION_MNIST_CLASS_NAMES
from ssl_zoo.data.fashion_mnist import load_fashion_mnist
from ssl_zoo.data.image_folder import list_image_folder
from ssl_zoo.data.image_folder import load_image_folder
from ssl_zoo.data.image_stream import ImageStream
from ssl_zoo.data.mnist import load_mnist
from ssl_zoo.data.synthetic_images import SYNTHETIC_CLASS_NAMES
from ssl_zoo.data.synthetic_images import load_synthetic_images

# name -> (loader of the two splits, class names, image size), each found as its loader says.
ARCHIVES = {
    "fashion_mnist": (load_fashion_mnist, FASHION_MNIST_CLASS_NAMES, 28),
    "mnist": (load_mnist, [str(digit) for digit in range(10)], 28),
    "cifar10": (cifar.load_cifar10, cifar.CIFAR10_CLASS_NAMES, 32),
    "cifar100": (cifar.load_cifar100, cifar.CIFAR100_FINE_CLASS_NAMES, 32),
    "stl10": (stl10.load_stl10, stl10.STL10_CLASS_NAMES, 96),
}
IMAGE_DATA_NAMES = tuple(ARCHIVES) + ("synthetic",)
TEXT_DATA_NAMES = ("wordnet",)


def load_images(
    data, image_size=None, color_mode="rgb", test_fraction=0.2, seed=0, workers=None, strict=False
):
    """Loads an image data set by name or folder, split into train and test.

    - `"fashion_mnist"`, `"mnist"` (28x28 gray), `"cifar10"`, `"cifar100"` (fine labels,
      32x32 RGB), `"stl10"` (its labeled 5k/8k splits, 96x96 RGB): `load_fashion_mnist()`,
      `load_mnist()`, `load_cifar10()`, `load_cifar100()`, `load_stl10()` and their own splits.
    - `"synthetic"`: `load_synthetic_images(seed=seed, test_fraction=test_fraction)`, 1000
      shape images, 28x28 unless `image_size` says otherwise.
    - a folder: `load_image_folder(...)`. With class sub-folders it is split per class: each
      class puts `round(count * test_fraction)` images, chosen with `seed`, in the test
      split. Unlabeled images (no class sub-folders) are all training images: labels and
      class names are None and the test split is empty.
    Names win over folders of the same name (pass `./synthetic` for the folder).

    Args:
        data: str. One of `IMAGE_DATA_NAMES` or a path to an image folder.
        image_size: None or int (for a folder also `(height, width)`). Size of the images; for
            a named archive None or its own size.
        color_mode: `"grayscale"`, `"rgb"` or `"rgba"`; used for image folders only (an
            archive keeps its channels).
        test_fraction: float in `[0, 1)`. Share of the test split, for synthetic data and folders.
        seed: int. Seed of the split (folders) or of the generator (synthetic).
        workers: None or int. Threads decoding a folder's images (None: one per CPU core).
        strict: bool. For a folder: raise at the first unreadable file instead of leaving
            the unreadable ones out with one warning (`load_image_folder`).

    Returns:
        `(x_train, y_train), (x_test, y_test), class_names`: uint8 images `(n, height, width,
        channels)` (gray archives gain a channel axis of 1), int32 labels `(n,)` and the list
        of class names that the labels index.

    Example:
    ```python
    (x, y), (x_test, y_test), class_names = ssl_zoo.data.load_images("synthetic", image_size=16)
    x.shape, class_names[y[0]]  # (800, 16, 16, 1), e.g. 'ring'
    ```
    """
    if not 0 <= test_fraction < 1:
        raise ValueError(f"`test_fraction` must be in [0, 1). Received: test_fraction={test_fraction!r}")
    if data in ARCHIVES:
        load, class_names, size = ARCHIVES[data]
        if image_size not in (None, size, (size, size)):
            raise ValueError(
                f"{data} images are {size}x{size}. Received: image_size={image_size!r}. Pass "
                "image_size=None, or resize inside the model (keras.layers.Resizing)."
            )
        splits = load()
        return (
            *((x[..., None] if x.ndim == 3 else x, y.astype(np.int32)) for x, y in splits),
            list(class_names),
        )
    if data == "synthetic":
        train, test = load_synthetic_images(
            image_size=28 if image_size is None else image_size, seed=seed, test_fraction=test_fraction
        )
        return train, test, list(SYNTHETIC_CLASS_NAMES)
    if data in TEXT_DATA_NAMES:
        raise ValueError(
            f"data={data!r} is a text data set; image methods (SimCLR, RotNet, Autoencoder) "
            f"need images: one of {', '.join(IMAGE_DATA_NAMES)} or a folder of class "
            "sub-folders. Use a text method (MaskedLM) for WordNet."
        )
    if isinstance(data, (str, os.PathLike)) and os.path.isdir(data):
        images, labels, class_names = load_image_folder(
            data, image_size=image_size, color_mode=color_mode, workers=workers, strict=strict
        )
        if labels is None:  # every image trains; nothing to test on
            return (images, None), (images[:0], None), None
        train, test = _split_per_class(labels, test_fraction, seed)
        return (images[train], labels[train]), (images[test], labels[test]), class_names
    raise ValueError(
        f"Unknown image data {data!r}: not a known name and not an existing folder. Accepted: "
        f"{', '.join(repr(n) for n in IMAGE_DATA_NAMES)}, or the path of a folder of images "
        "(labeled when it holds one sub-folder of images per class)."
    )


def open_image_folder(
    directory, image_size=None, color_mode="rgb", test_fraction=0.2, seed=0, workers=None, strict=False
):
    """A folder of images as streams: `(train, test, class_names)`, `ImageStream`s.

    The streaming counterpart of `load_images(directory)`: the files are listed once and split
    per class as `load_images` splits them (`test` is None and every file trains when the
    folder is unlabeled); nothing is decoded but the first file, whose size is the streams'
    when `image_size` is None. Arguments as for `load_images`.

    Example:
    ```python
    train, test, class_names = ssl_zoo.data.open_image_folder("photos/", image_size=96)
    model.fit(train.dataset(batch_size=256), steps_per_epoch=train.steps_per_epoch(256), shuffle=False)
    ```
    """
    if not 0 <= test_fraction < 1:
        raise ValueError(f"`test_fraction` must be in [0, 1). Received: test_fraction={test_fraction!r}")
    image_folder.check_color_mode(color_mode)
    image_folder.parse_image_size(image_size)
    image_folder.check_workers(workers)
    directory = os.fspath(directory)
    files, labels, class_names = list_image_folder(directory)
    settings = dict(color_mode=color_mode, workers=workers, strict=strict, root=directory)
    if labels is None:
        return ImageStream(files, image_size=image_size, **settings), None, None
    train, test = _split_per_class(labels, test_fraction, seed)
    train = ImageStream([files[i] for i in train], labels[train], image_size=image_size, **settings)
    if not len(test):
        return train, None, class_names
    test = ImageStream([files[i] for i in test], labels[test], image_size=train.image_shape[:2], **settings)
    return train, test, class_names


def _split_per_class(labels, test_fraction, seed):
    """Indices `(train, test)`: each class sends `round(count * test_fraction)` to test."""
    rng = np.random.default_rng(seed)
    train, test = [], []
    for label in np.unique(labels):
        members = rng.permutation(np.flatnonzero(labels == label))
        num_test = int(round(len(members) * test_fraction))
        test.append(members[:num_test])
        train.append(members[num_test:])
    return rng.permutation(np.concatenate(train)), rng.permutation(np.concatenate(test))
