"""A folder of images, labeled by class sub-folders or not: listed, and read into memory with PIL."""

import concurrent.futures
import os
import warnings

import numpy as np

from ssl_zoo import arguments

IMAGE_EXTENSIONS = (".bmp", ".gif", ".jpeg", ".jpg", ".png")
COLOR_MODES = {"grayscale": "L", "rgb": "RGB", "rgba": "RGBA"}  # color_mode -> PIL mode


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
    check_color_mode(color_mode)
    size = parse_image_size(image_size)
    check_workers(workers)
    files, file_labels, class_names = list_image_folder(directory, class_names, labels)
    images, kept = read_images(files, size, color_mode, workers, strict, root=directory)
    file_labels = None if file_labels is None else file_labels[kept]
    shapes = {}
    for i, image in zip(kept, images):
        shapes.setdefault(image.shape, files[i])
    if len(shapes) > 1:
        examples = "; ".join(f"{shape[:2]} in {f}" for shape, f in list(shapes.items())[:3])
        raise ValueError(
            f"Images in directory={directory!r} have different sizes ({examples}). "
            "Pass image_size=(height, width) to resize them all to one size."
        )
    return np.stack(images), file_labels, class_names


def list_image_folder(directory, class_names=None, labels="inferred"):
    """`(files, labels, class_names)` of a folder laid out as `load_image_folder` says.

    The files are listed once, in sorted order; `labels` (int32, one per file) and
    `class_names` are None for an unlabeled folder.
    """
    directory = os.fspath(directory)
    if not os.path.isdir(directory):
        raise FileNotFoundError(
            f"`directory` must be an existing folder of images. Received: "
            f"directory={directory!r}, which "
            f"{'is not a folder' if os.path.exists(directory) else 'does not exist'}."
        )
    if labels not in ("inferred", None):
        raise ValueError(f"`labels` must be 'inferred' or None. Received: labels={labels!r}")
    return _list_images(directory, class_names, labels)


def read_images(files, size, color_mode, workers=None, strict=False, root=None):
    """`(images, kept)`: the readable files' uint8 `(h, w, c)` arrays and their indices in `files`.

    `workers` threads decode (None: one per CPU core). An unreadable file raises a
    `ValueError` naming it when `strict`, else it is left out and one
    `SkippedImagesWarning` counts them (files named relative to `root`).
    """
    def read(filename):
        try:
            return read_image(filename, color_mode, size)
        except ValueError as error:
            if strict:
                raise
            return error

    with concurrent.futures.ThreadPoolExecutor(workers or os.cpu_count()) as pool:
        images = list(pool.map(read, files))
    kept = [i for i, image in enumerate(images) if not isinstance(image, ValueError)]
    if len(kept) < len(files):
        skipped = [f for f, image in zip(files, images) if isinstance(image, ValueError)]
        if not kept:
            raise ValueError(
                f"No readable images in {f'directory={root!r}' if root else 'the files given'}: all {len(files)} image "
                f"files failed, e.g. {images[0]}"
            )
        warnings.warn(skipped_message(root, skipped, len(files)), SkippedImagesWarning, stacklevel=3)
    return [images[i] for i in kept], np.asarray(kept, dtype=np.int64)


def skipped_message(root, skipped, total):
    """The text of the `SkippedImagesWarning` for `skipped` of `total` files, naming three."""
    named = ", ".join(os.path.relpath(f, root) if root else f for f in skipped[:3])
    return (
        f"Skipped {len(skipped)} of {total} image files{f' in {root}' if root else ''} that could "
        f"not be read: {named}{', ...' if len(skipped) > 3 else ''} (strict=True, or --strict, "
        "stops at the first one instead)"
    )


def check_workers(workers):
    """Refuse a `workers` that is neither None nor an int >= 1."""
    if workers is not None and not (arguments.is_int(workers) and workers >= 1):
        raise ValueError(f"`workers` must be None or an int >= 1. Received: workers={workers!r}")


def check_color_mode(color_mode):
    """Refuse a `color_mode` that is not one of `COLOR_MODES`."""
    if color_mode not in COLOR_MODES:
        raise ValueError(
            f"`color_mode` must be one of {sorted(COLOR_MODES)}. Received: color_mode={color_mode!r}"
        )


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


def parse_image_size(image_size):
    """`(height, width)` of an `image_size` argument (None, int or pair), None for None."""
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


def read_image(filename, color_mode, size):
    """One file as uint8 `(h, w, c)` in `color_mode`, resized (bilinear) to `size` unless None;
    a `ValueError` naming the file if it cannot be read."""
    from PIL import Image  # Pillow is needed only for image folders.

    try:
        with Image.open(filename) as image:
            image = image.convert(COLOR_MODES[color_mode])
            if size is not None and image.size != (size[1], size[0]):
                image = image.resize((size[1], size[0]), Image.Resampling.BILINEAR)
            array = np.asarray(image, dtype=np.uint8)
    except (OSError, SyntaxError, ValueError) as e:  # PIL's errors for unreadable files.
        raise ValueError(f"Could not read image file {filename}: {e}") from e
    # (height, width) for mode "L"; add the channel axis so every mode gives (h, w, c).
    return array[..., None] if array.ndim == 2 else array
