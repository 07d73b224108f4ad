"""Solarization: every pixel above a threshold replaced by its complement."""

import keras


def solarize(images, threshold=0.5):
    """`x` where `x < threshold`, else `1 - x`, for images in [0, 1] (BYOL, Appendix B).

    BYOL's code (`augmentations.py`): `jnp.where(image < 0.5, image, 1. - image)`.
    Not `keras.layers.Solarization`: it draws each image's threshold uniformly from
    `[threshold_factor[0], 255 * threshold_factor[1]]` (Keras 3.15.1), so no setting holds
    the threshold at 0.5.

    Args:
        images: float tensor (B, H, W, C) in [0, 1].
        threshold: float. Pixels at or above it are inverted.

    Returns:
        Float tensor (B, H, W, C) in [0, 1], the dtype of `images`.

    Example:
    ```python
    ssl_zoo.augmentations.solarize(np.array([[[[0.2], [0.7]]]]))  # [[[[0.2], [0.3]]]]
    ```
    """
    images = keras.ops.convert_to_tensor(images)
    return keras.ops.where(images < threshold, images, 1.0 - images)
