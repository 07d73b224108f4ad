"""A small labeled image set whose classes are shapes: learnable, deterministic, offline."""

import numpy as np

from ssl_zoo import arguments

SYNTHETIC_CLASS_NAMES = [
    "horizontal_bar",
    "vertical_bar",
    "diagonal_bar",
    "antidiagonal_bar",
    "disk",
    "ring",
    "plus",
    "cross",
    "square_outline",
    "triangle",
]


def load_synthetic_images(
    num_images=1000, image_size=28, channels=1, num_classes=10, seed=0, test_fraction=0.2
):
    """Generates images of geometric shapes, one shape per class, like a tiny Fashion-MNIST.

    Each image holds one bright shape (`SYNTHETIC_CLASS_NAMES[label]`: bars at four
    orientations, disk, ring, plus, cross, square outline, triangle) at a random position, size
    and brightness, on a dark background with Gaussian noise. The class is the shape, so a
    model must see shape to classify, and representation learning plus a linear probe beats
    chance (`1 / num_classes`). Every split holds each class `n // num_classes` or one more
    times, shuffled. The same arguments always give the same arrays.

    Args:
        num_images: int >= 2. Images in both splits together.
        image_size: int >= 8. Height and width.
        channels: 1 (grayscale) or 3 (each image a random colour).
        num_classes: int in `2..10`. Uses the first `num_classes` shapes.
        seed: int. Seed of the NumPy generator.
        test_fraction: float in `[0, 1)`. Share of `num_images` in the test split (rounded).

    Returns:
        `(x_train, y_train), (x_test, y_test)`: uint8 images `(n, image_size, image_size,
        channels)` in `0..255` and int32 labels `(n,)`.

    Example:
    ```python
    (x, y), (x_test, y_test) = ssl_zoo.data.load_synthetic_images(num_images=500, image_size=16)
    x.shape, x_test.shape  # (400, 16, 16, 1), (100, 16, 16, 1)
    ```
    """
    if not (arguments.is_int(num_images) and num_images >= 2):
        raise ValueError(f"`num_images` must be an int >= 2. Received: num_images={num_images!r}")
    if not (arguments.is_int(image_size) and image_size >= 8):
        raise ValueError(f"`image_size` must be an int >= 8. Received: image_size={image_size!r}")
    if channels not in (1, 3):
        raise ValueError(f"`channels` must be 1 or 3. Received: channels={channels!r}")
    if not (arguments.is_int(num_classes) and 2 <= num_classes <= len(SYNTHETIC_CLASS_NAMES)):
        raise ValueError(
            f"`num_classes` must be an int from 2 to {len(SYNTHETIC_CLASS_NAMES)} (one per "
            f"shape in SYNTHETIC_CLASS_NAMES). Received: num_classes={num_classes!r}"
        )
    if not 0 <= test_fraction < 1:
        raise ValueError(f"`test_fraction` must be in [0, 1). Received: test_fraction={test_fraction!r}")
    rng = np.random.default_rng(seed)
    num_test = int(round(num_images * test_fraction))
    return tuple(
        _generate(rng, n, image_size, channels, num_classes) for n in (num_images - num_test, num_test)
    )


def _generate(rng, n, size, channels, num_classes):
    labels = rng.permutation(np.arange(n) % num_classes).astype(np.int32)
    # Half-extent s of the shape and stroke width t in pixels; the centre keeps the shape inside.
    s = rng.uniform(0.2, 0.4, n) * size
    t = np.maximum(1.5, 0.12 * size * rng.uniform(0.8, 1.2, n))
    cy, cx = (s + 1 + rng.uniform(0, 1, (2, n)) * (size - 3 - 2 * s)).reshape(2, n, 1, 1)
    s, t = s[:, None, None], t[:, None, None]
    grid = np.arange(size, dtype=np.float64)
    dy, dx = grid[None, :, None] - cy, grid[None, None, :] - cx  # (n, size, 1), (n, 1, size)
    # Rotated by 45 degrees, for the diagonal strokes.
    u, v = (dx + dy) / np.sqrt(2), (dx - dy) / np.sqrt(2)
    r, box = np.sqrt(dy**2 + dx**2), np.maximum(np.abs(dy), np.abs(dx))
    half = t / 2
    shapes = [
        (np.abs(dy) < half) & (np.abs(dx) < s),
        (np.abs(dx) < half) & (np.abs(dy) < s),
        (np.abs(v) < half) & (np.abs(u) < s),
        (np.abs(u) < half) & (np.abs(v) < s),
        r < s,
        np.abs(r - s + half) < half,
        ((np.abs(dy) < half) & (np.abs(dx) < s)) | ((np.abs(dx) < half) & (np.abs(dy) < s)),
        ((np.abs(v) < half) & (np.abs(u) < s)) | ((np.abs(u) < half) & (np.abs(v) < s)),
        (box < s) & (box > s - t),
        (np.abs(dy) < s) & (np.abs(dx) < (dy + s) / 2),
    ]
    index = np.arange(n)[:, None, None]
    masks = np.stack([np.broadcast_to(m, (n, size, size)) for m in shapes[:num_classes]])
    mask = masks[labels[:, None, None], index, np.arange(size)[:, None], np.arange(size)]
    # (n, size, size, channels): shape brightness 0.6..1 per channel, noise sigma 0.08.
    colour = rng.uniform(0.6, 1.0, (n, 1, 1, channels if channels == 3 else 1))
    images = mask[..., None] * colour + rng.normal(0, 0.08, (n, size, size, channels))
    return np.round(np.clip(images, 0, 1) * 255).astype(np.uint8), labels
