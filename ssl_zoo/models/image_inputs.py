"""Checks on image arrays handed to image tasks."""

import numpy as np


def prepare_images(images, image_shape, name="images"):
    """Validate a NumPy image batch and give it the backbone's channel axis.

    Args:
        images: array `(n, H, W)` or `(n, H, W, C)` of pixel values in [0, 255], any real
            dtype. Other inputs (`tf.data`, a torch `DataLoader`, a `PyDataset`) are
            returned unchanged for Keras to iterate.
        image_shape: `(height, width, channels)` the model takes.
        name: str. The argument's name in error messages.

    Returns:
        The images as float32 `(n, H, W, C)`, or the input unchanged if it is not an array.
    """
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
    images = images.astype("float32")
    if not np.all(np.isfinite(images)):
        raise ValueError(f"{name} contains NaN or infinite values.")
    return images
