"""A folder of images, labeled by class sub-folders or not, read into memory with PIL."""

import concurrent.futures
import os
import warnings

import numpy as np

from ssl_zoo import arguments

IMAGE_EXTENSIONS = (".bmp", ".gif", ".jpeg", ".jpg", ".png")
_PIL_MODES = {"grayscale": "L", "rgb": "RGB", "rgba": "RGBA"}


class SkippedImagesWarning(UserWarning):
    """Some image files of a folder could not be read and were left out."""


def load_image_folder(
    directory, image_size=None, color_mode="rgb", class_names=None, labels="inferred", workers=None,
    strict=False,
):
    """Loads a folder of images, labeled by class sub-folders when it has them.

    ```
    directory/                            directory/
        cat/   a.png  b.jpg  nested/c.png     a.png  2024/b.jpg  2024/june/c.png
        dog/   d.jpeg ...
    ```
    Labeled (left), like `keras.utils.image_dataset_from_directory`: the folder holds no image
    itself and at least two sub-folders with images; each is a class, labels follow the sorted
    sub-folder names. Otherwise (right: loose images, one sub-folder, any nesting) the images
    are unlabeled. Images are found recursively (`.png`, `.jpg`, `.jpeg`, `.bmp`, `.gif`;
    first frame of a GIF) in sorted order.

    Args:
        directory: str. The folder.
        image_size: None, int or `(height, width)`. Size to resize every image to (bilinear).
            None keeps the stored size, which must then be the same for every image.
        color_mode: `"grayscale"`, `"rgb"` or `"rgba"`: 1, 3 or 4 channels.
        class_names: None or list of sub-folder names. Restricts the classes to these, labelled
            in this order (the folder must then have them); None takes every sub-folder, sorted.
        labels: `"inferred"` (the default: from the layout, as above) or None (every image
            under `directory`, unlabeled, whatever the layout).
        workers: None or int >= 1. Threads decoding the images (Pillow decodes outside the
            GIL); None: one per CPU core.
        strict: bool. False (the default): a file that cannot be read (truncated, not an
            image) is left out, and one `SkippedImagesWarning` counts them and names a few.
            True: the first such file raises a `ValueError` naming it.

    Returns:
        `(images, labels, class_names)`: uint8 `(n, height, width, channels)`, int32 `(n,)`
        and the list of class names (`labels` index into it); `labels` and `class_names` are
        None for unlabeled images.

    Example:
    ```python
    images, labels, class_names = ssl_zoo.data.load_image_folder("flowers/", image_size=64)
    images.shape  # (n, 64, 64, 3)
    ```
    """
    directory = os.fspath(directory)
    if not os.path.isdir(directory):
        raise FileNotFoundError(
            f"`directory` must be an existing folder of images. Received: "
            f"directory={directory!r}, which "
            f"{'is not a folder' if os.path.exists(directory) else 'does not exist'}."
        )
    if color_mode not in _PIL_MODES:
        raise ValueError(
            f"`color_mode` must be one of {sorted(_PIL_MODES)}. Received: color_mode={color_mode!r}"
        )
    if labels not in ("inferred", None):
        raise ValueError(f"`labels` must be 'inferred' or None. Received: labels={labels!r}")
    size = _parse_image_size(image_size)
    files, file_labels, class_names = _list_images(directory, class_names, labels)
    if workers is not None and not (arguments.is_int(workers) and workers >= 1):
        raise ValueError(f"`workers` must be None or an int >= 1. Received: workers={workers!r}")
    def read(filename):
        try:
            return _read_image(filename, _PIL_MODES[color_mode], size)
        except ValueError as error:
            if strict:
                raise
            return error

    with concurrent.futures.ThreadPoolExecutor(workers or os.cpu_count()) as pool:
        images = list(pool.map(read, files))
    readable = [not isinstance(image, ValueError) for image in images]
    if not all(readable):
        files, images, file_labels = _drop_unreadable(directory, files, images, file_labels, readable)
    shapes = {}
    for f, image in zip(files, images):
        shapes.setdefault(image.shape, f)
    if len(shapes) > 1:
        examples = "; ".join(f"{shape[:2]} in {f}" for shape, f in list(shapes.items())[:3])
        raise ValueError(
            f"Images in directory={directory!r} have different sizes ({examples}). "
            "Pass image_size=(height, width) to resize them all to one size."
        )
    return np.stack(images), file_labels, class_names


def list_image_files(directory):
    """The image files under `directory`, recursively, in sorted order (folders first by name)."""
    files = []
    for root, dirs, names in os.walk(directory):
        dirs.sort()
        files += [os.path.join(root, f) for f in sorted(names) if f.lower().endswith(IMAGE_EXTENSIONS)]
    return files


def _list_images(directory, class_names, labels):
    """`(files, labels, class_names)` of `directory`, labels from the class sub-folders."""
    entries = sorted(os.listdir(directory))
    folders = [e for e in entries if os.path.isdir(os.path.join(directory, e))]
    if class_names is not None:
        class_names = list(class_names)
        unknown = [c for c in class_names if c not in folders]
        if unknown:
            raise ValueError(
                f"`class_names` lists {unknown}, which are not sub-folders of {directory!r}. "
                f"Sub-folders found: {folders}"
            )
    else:
        loose = [e for e in entries if e.lower().endswith(IMAGE_EXTENSIONS)]
        with_images = [f for f in folders if list_image_files(os.path.join(directory, f))]
        if labels is None or loose or len(with_images) < 2:
            files = list_image_files(directory)
            if not files:
                raise ValueError(
                    f"No images in directory={directory!r} or its sub-folders. Expected files "
                    f"ending in {', '.join(IMAGE_EXTENSIONS)}, e.g. {os.path.join(directory, '1.png')}."
                )
            return files, None, None
        class_names = folders
    files, file_labels = [], []
    for label, name in enumerate(class_names):
        members = list_image_files(os.path.join(directory, name))
        files += members
        file_labels += [label] * len(members)
    if not files:
        raise ValueError(
            f"No images in the class sub-folders {class_names} of directory={directory!r}. "
            f"Expected files ending in {', '.join(IMAGE_EXTENSIONS)}, e.g. "
            f"{os.path.join(directory, class_names[0], '1.png')}."
        )
    return files, np.asarray(file_labels, dtype=np.int32), class_names


def _drop_unreadable(directory, files, images, labels, readable):
    """The readable `(files, images, labels)`; warns once, naming three of the others."""
    skipped = [f for f, ok in zip(files, readable) if not ok]
    if len(skipped) == len(files):
        raise ValueError(
            f"No readable images in directory={directory!r}: all {len(files)} image files "
            f"failed, e.g. {images[0]}"
        )
    named = ", ".join(os.path.relpath(f, directory) for f in skipped[:3])
    warnings.warn(
        f"Skipped {len(skipped)} of {len(files)} image files in {directory} that could not be "
        f"read: {named}{', ...' if len(skipped) > 3 else ''} (strict=True, or --strict, stops "
        "at the first one instead)",
        SkippedImagesWarning,
        stacklevel=3,
    )
    keep = np.flatnonzero(readable)
    labels = None if labels is None else labels[keep]
    return [files[i] for i in keep], [images[i] for i in keep], labels


def _parse_image_size(image_size):
    if image_size is None:
        return None
    size = (image_size, image_size) if arguments.is_int(image_size) else image_size
    if not (
        isinstance(size, (list, tuple, np.ndarray)) and len(size) == 2
        and all(arguments.is_int(s) and s > 0 for s in size)
    ):
        raise ValueError(
            "`image_size` must be None, a positive int or a (height, width) pair of positive "
            f"ints. Received: image_size={image_size!r}"
        )
    return tuple(int(s) for s in size)


def _read_image(filename, mode, size):
    from PIL import Image  # Pillow is needed only for image folders.

    try:
        with Image.open(filename) as image:
            image = image.convert(mode)
            if size is not None and image.size != (size[1], size[0]):
                image = image.resize((size[1], size[0]), Image.Resampling.BILINEAR)
            array = np.asarray(image, dtype=np.uint8)
    except (OSError, SyntaxError, ValueError) as e:  # PIL's errors for unreadable files.
        raise ValueError(f"Could not read image file {filename}: {e}") from e
    # (height, width) for mode "L"; add the channel axis so every mode gives (h, w, c).
    return array[..., None] if array.ndim == 2 else array
