"""Checks on image arrays handed to image tasks."""

import numpy as np


def prepare_images(images, image_shape, name="images"):
    """Validate a NumPy image batch and give it the backbone's channel axis.

    Args:
        images: array `(n, H, W)` or `(n, H, W, C)` of pixel values in [0, 255], any real
            dtype, or a list or tuple of `n` images of one shape (stacked into an array).
            Other inputs (`tf.data`, a torch `DataLoader`, a `PyDataset`) are returned
            unchanged for Keras to iterate.
        image_shape: `(height, width, channels)` the model takes.
        name: str. The argument's name in error messages.

    Returns:
        The images as float32 `(n, H, W, C)`, or the input unchanged if it is not an array.
    """
    images = as_image_array(images, name)
    if not isinstance(images, np.ndarray):
        return images
    if images.dtype == object or not (
        np.issubdtype(images.dtype, np.number) or images.dtype == bool
    ):
        raise ValueError(
            f"{name} must hold numbers (uint8 pixels 0..255 or floats). "
            f"Received: {name}.dtype={images.dtype}"
        )
    if images.ndim == 3 and image_shape[-1] == 1:
        images = images[..., None]
    if images.ndim != 4:
        raise ValueError(
            f"{name} must have rank 4 (n, height, width, channels), or rank 3 for grayscale. "
            f"Received: {name}.shape={images.shape}"
        )
    if images.shape[0] == 0:
        raise ValueError(f"{name} is empty. Received: {name}.shape={images.shape}")
    if images.shape[-1] != image_shape[-1]:
        raise ValueError(
            f"{name} has {images.shape[-1]} channels but the model expects "
            f"{image_shape[-1]}. Received: {name}.shape={images.shape}"
        )
    for axis, expected in ((1, image_shape[0]), (2, image_shape[1])):
        if expected is not None and images.shape[axis] != expected:
            raise ValueError(
                f"{name} are {images.shape[1]}x{images.shape[2]} px but the model expects "
                f"{image_shape[0]}x{image_shape[1]}. Received: {name}.shape={images.shape}"
            )
    images = images.astype("float32", copy=False)
    if not np.all(np.isfinite(images)):
        raise ValueError(f"{name} contains NaN or infinite values.")
    return images


def as_image_array(images, name="images"):
    """A list or tuple of images stacked into one NumPy array; any other input unchanged.

    Keras reads a list as several model inputs, so a list of `n` images would be sliced
    across images instead of into batches of them.
    """
    if not isinstance(images, (list, tuple)):
        return images
    try:
        array = np.asarray(images)
    except ValueError as error:  # ragged: images of different shapes
        raise ValueError(
            f"{name} is a {type(images).__name__} of images of different shapes; pass "
            f"images of one size, as a NumPy array (n, height, width[, channels]). ({error})"
        ) from None
    if array.dtype == object:
        raise ValueError(
            f"{name} is a {type(images).__name__} that does not stack into a numeric array; "
            f"pass a NumPy array (n, height, width[, channels]) of pixel values."
        )
    return array


def check_pixel_scale(images, task_name, name="x"):
    """Refuse NumPy float images whose values all lie in [0, 1]: the tasks expect [0, 255].

    The image tasks rescale pixels by 1 / 255 themselves, so images already scaled to
    [0, 1] would train on almost-black inputs. Integer arrays and other data sources
    (`tf.data`, a `DataLoader`, ...) are not checked.
    """
    if not (isinstance(images, np.ndarray) and np.issubdtype(images.dtype, np.floating) and images.size):
        return
    low, high = float(np.min(images)), float(np.max(images))
    if low >= 0.0 and high <= 1.0:
        raise ValueError(
            f"{task_name} expects pixels in [0, 255] (it rescales them itself), but {name} "
            f"holds floats in [0, 1] (from {low:g} to {high:g}): pass {name} * 255. "
            f"Received: {name}.dtype={images.dtype}, {name}.shape={images.shape}"
        )


def training_images(images, task_name, name="x"):
    """What `fit` of an image task trains on: lists stacked, [0, 1] floats refused."""
    images = as_image_array(images, name)
    check_pixel_scale(images, task_name, name)
    return images


def image_shape_of(images):
    """`(height, width, channels)` of an image array `(n, H, W[, C])` (C = 1 without a channel
    axis), None for anything else (texts): the `image_shape` a preset is loaded at for them."""
    if not isinstance(images, np.ndarray) or images.dtype.kind not in "uif" or images.ndim not in (3, 4):
        return None
    return tuple(images.shape[1:]) if images.ndim == 4 else (*images.shape[1:], 1)
