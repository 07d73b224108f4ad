"""Separable gaussian blur with one sigma per image."""

import keras


def blur_kernel_size(side):
    """Odd kernel size about 10% of the image side, at least 3 (SimCLR, Appendix A).

    Args:
        side: int. Image side in pixels.

    Returns:
        int `2 * max(1, (side // 10) // 2) + 1`: 3 for 16 or 32 pixels, 23 for 224.
    """
    return 2 * max(1, (side // 10) // 2) + 1


def _blur_axis(images, taps, axis):
    """Convolves (B, H, W, C) along `axis` (1 or 2) with per-image taps (B, K), reflect padding."""
    kernel_size = taps.shape[1]
    radius = kernel_size // 2
    size = images.shape[axis]
    padding = [[0, 0]] * 4
    padding[axis] = [radius, radius]
    padded = keras.ops.pad(images, padding, mode="reflect")  # size + 2 * radius along axis
    blurred = 0.0
    for k in range(kernel_size):
        window = padded[:, k : k + size] if axis == 1 else padded[:, :, k : k + size]
        blurred = blurred + keras.ops.reshape(taps[:, k], (-1, 1, 1, 1)) * window
    return blurred


def gaussian_blur(images, sigma, kernel_size):
    """Blurs each image with a gaussian of its own standard deviation.

    The kernel `g_k ∝ exp(-k^2 / (2 sigma^2))`, `|k| <= kernel_size // 2`, is normalized to sum
    to 1 and applied along H then W with reflect padding (as torchvision's `GaussianBlur`;
    SimCLR's TensorFlow code pads with zeros, which darkens the borders).

    Args:
        images: float tensor (B, H, W, C). H and W must exceed `kernel_size // 2`.
        sigma: float tensor (B,) > 0. Standard deviation per image, in pixels.
        kernel_size: odd int >= 3. Taps of the 1-D kernel.

    Returns:
        Float tensor (B, H, W, C), the dtype of `images`.

    Example:
    ```python
    from ssl_zoo.augmentations import gaussian_blur
    images = np.random.rand(2, 16, 16, 3).astype("float32")
    blurred = gaussian_blur(images, np.array([0.5, 2.0], "float32"), kernel_size=3)
    ```
    """
    images = keras.ops.convert_to_tensor(images)
    if kernel_size < 3 or kernel_size % 2 == 0:
        raise ValueError(
            f"kernel_size must be an odd int >= 3. Received: kernel_size={kernel_size}"
        )
    radius = kernel_size // 2
    if min(images.shape[1], images.shape[2]) <= radius:
        raise ValueError(
            f"Images of shape {images.shape} are too small for kernel_size={kernel_size}; "
            f"H and W must exceed {radius}."
        )
    sigma = keras.ops.cast(sigma, images.dtype)
    offsets = keras.ops.cast(keras.ops.arange(-radius, radius + 1), images.dtype)  # (K,)
    taps = keras.ops.exp(-(offsets[None, :] ** 2) / (2.0 * sigma[:, None] ** 2))  # (B, K)
    taps = taps / keras.ops.sum(taps, axis=1, keepdims=True)
    return _blur_axis(_blur_axis(images, taps, axis=1), taps, axis=2)
