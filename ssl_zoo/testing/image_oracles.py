"""Float64 NumPy transcriptions of the image augmentation ops and the image representation,
used as test oracles."""

import numpy as np

LUMA_WEIGHTS = np.array([0.299, 0.587, 0.114])


def crop_and_resize_numpy(images, boxes, height, width):
    """Bilinear crop-and-resize, one box `(top, left, box_height, box_width)` per image.

    Output pixel (i, j) samples the continuous point
    `(top + (i + 0.5) * box_height / height - 0.5, left + (j + 0.5) * box_width / width - 0.5)`,
    clamped to the pixel centers of the image, interpolating the 4 neighbours.
    """
    images = np.asarray(images, np.float64)
    batch, image_height, image_width, channels = images.shape
    out = np.zeros((batch, height, width, channels))
    for b, (top, left, box_height, box_width) in enumerate(np.asarray(boxes, np.float64)):
        for i in range(height):
            y = np.clip(top + (i + 0.5) * box_height / height - 0.5, 0, image_height - 1)
            y0 = int(np.floor(y))
            y1, wy = min(y0 + 1, image_height - 1), y - y0
            for j in range(width):
                x = np.clip(left + (j + 0.5) * box_width / width - 0.5, 0, image_width - 1)
                x0 = int(np.floor(x))
                x1, wx = min(x0 + 1, image_width - 1), x - x0
                out[b, i, j] = (
                    (1 - wy) * (1 - wx) * images[b, y0, x0]
                    + (1 - wy) * wx * images[b, y0, x1]
                    + wy * (1 - wx) * images[b, y1, x0]
                    + wy * wx * images[b, y1, x1]
                )
    return out


def gaussian_blur_numpy(images, sigma, kernel_size):
    """Per-image gaussian blur as a dense 2-D convolution over a reflect-padded image."""
    images = np.asarray(images, np.float64)
    height, width, radius = images.shape[1], images.shape[2], kernel_size // 2
    offsets = np.arange(-radius, radius + 1)
    out = np.zeros_like(images)
    for b, s in enumerate(np.asarray(sigma, np.float64)):
        g = np.exp(-(offsets**2) / (2 * s**2))
        kernel = np.outer(g, g) / np.sum(g) ** 2  # (K, K), sums to 1
        padded = np.pad(images[b], [[radius, radius], [radius, radius], [0, 0]], mode="reflect")
        for dy in range(kernel_size):
            for dx in range(kernel_size):
                out[b] += kernel[dy, dx] * padded[dy : dy + height, dx : dx + width]
    return out


def grayscale_numpy(images):
    """ITU-R 601 luma repeated on three channels."""
    luma = np.asarray(images, np.float64) @ LUMA_WEIGHTS
    return np.repeat(luma[..., None], 3, axis=-1)


def grid_means_numpy(feature_map, grid):
    """`(B, S, S, C)` averaged over `grid x grid` cells, cells row-major (`GridAveragePooling2D`).

    The cells of an 8 px side: [0, 8) for 1, [0, 4) [4, 8) for 2, [0, 2) [2, 5) [5, 8) for 3.
    """
    side = feature_map.shape[1]
    bounds = [i * side // grid for i in range(grid + 1)]
    cells = list(zip(bounds[:-1], bounds[1:]))
    return np.concatenate(
        [np.asarray(feature_map, np.float64)[:, r0:r1, c0:c1].mean(axis=(1, 2)) for r0, r1 in cells for c0, c1 in cells],
        axis=-1,
    )


def rgb_to_lab_numpy(rgb):
    """sRGB in [0, 1] -> CIELAB, float64, straight from IEC 61966-2-1 and CIE 15:2004 (D65)."""
    rgb = np.asarray(rgb, np.float64)
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    m = np.array([[0.4124564, 0.3575761, 0.1804375], [0.2126729, 0.7151522, 0.0721750],
                  [0.0193339, 0.1191920, 0.9503041]])
    xyz = linear @ m.T / np.array([0.95047, 1.0, 1.08883])
    delta = 6 / 29
    f = np.where(xyz > delta**3, np.cbrt(xyz), xyz / (3 * delta**2) + 4 / 29)
    return np.stack([116 * f[..., 1] - 16, 500 * (f[..., 0] - f[..., 1]), 200 * (f[..., 1] - f[..., 2])], axis=-1)
