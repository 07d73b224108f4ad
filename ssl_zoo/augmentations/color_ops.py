"""Per-image color operations used by the SimCLR color distortion (Chen et al. 2020, App. A).

Every op takes images (B, H, W, C) and one factor per image (B,), and leaves values
unclipped; the caller clips to the valid range.
"""

import keras

# ITU-R BT.601 luma weights, as tf.image.rgb_to_grayscale and torchvision.
LUMA_WEIGHTS = (0.299, 0.587, 0.114)


def _per_image(factor, images):
    """Reshapes per-image factors (B,) to broadcast against images (B, H, W, C)."""
    return keras.ops.reshape(keras.ops.cast(factor, images.dtype), (-1, 1, 1, 1))


def rgb_to_grayscale(images):
    """ITU-R 601 luma `0.299 R + 0.587 G + 0.114 B`, repeated on the three channels.

    Args:
        images: float tensor (B, H, W, 3).

    Returns:
        Float tensor (B, H, W, 3) with equal channels.

    Example:
    ```python
    gray = ssl_zoo.augmentations.rgb_to_grayscale(np.random.rand(2, 16, 16, 3))
    ```
    """
    images = keras.ops.convert_to_tensor(images)
    weights = keras.ops.convert_to_tensor(LUMA_WEIGHTS, dtype=images.dtype)
    luma = keras.ops.sum(images * weights, axis=-1, keepdims=True)  # (B, H, W, 1)
    return keras.ops.repeat(luma, 3, axis=-1)


def adjust_brightness(images, factor):
    """Multiplies each image by its factor: `x * f` (SimCLR v2 code, torchvision).

    Args:
        images: float tensor (B, H, W, C).
        factor: float tensor (B,). 1 leaves the image unchanged.

    Returns:
        Float tensor (B, H, W, C).
    """
    images = keras.ops.convert_to_tensor(images)
    return images * _per_image(factor, images)


def adjust_contrast(images, factor):
    """Scales each channel around its spatial mean: `(x - mean) * f + mean`.

    As `tf.image.adjust_contrast`, the mean is taken per image and channel over (H, W).

    Args:
        images: float tensor (B, H, W, C).
        factor: float tensor (B,). 1 leaves the image unchanged, 0 gives the mean color.

    Returns:
        Float tensor (B, H, W, C).
    """
    images = keras.ops.convert_to_tensor(images)
    mean = keras.ops.mean(images, axis=(1, 2), keepdims=True)  # (B, 1, 1, C)
    return (images - mean) * _per_image(factor, images) + mean


def adjust_saturation(images, factor):
    """Blends each RGB image with its grayscale version: `gray + f * (x - gray)` (torchvision).

    Args:
        images: float tensor (B, H, W, 3).
        factor: float tensor (B,). 1 leaves the image unchanged, 0 gives grayscale.

    Returns:
        Float tensor (B, H, W, 3).
    """
    images = keras.ops.convert_to_tensor(images)
    gray = rgb_to_grayscale(images)
    return gray + _per_image(factor, images) * (images - gray)


def adjust_hue(images, delta):
    """Rotates the hue of each RGB image by `delta` turns in HSV space (`tf.image.adjust_hue`).

    Args:
        images: float tensor (B, H, W, 3) with values in [0, 1].
        delta: float tensor (B,). Hue shift in turns; 0 and 1 leave the hue unchanged.

    Returns:
        Float tensor (B, H, W, 3) in [0, 1].
    """
    images = keras.ops.convert_to_tensor(images)
    hsv = keras.ops.image.rgb_to_hsv(images, data_format="channels_last")
    hue, saturation, value = keras.ops.unstack(hsv, 3, axis=-1)  # each (B, H, W)
    hue = keras.ops.mod(hue + _per_image(delta, images)[..., 0], 1.0)
    hsv = keras.ops.stack([hue, saturation, value], axis=-1)
    return keras.ops.image.hsv_to_rgb(hsv, data_format="channels_last")
