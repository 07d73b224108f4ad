"""Pictures of an autoencoder's work: inputs, corrupted inputs and reconstructions."""

import numpy as np

from ssl_zoo import files

ROWS = ("input", "corrupted", "output")


def reconstruction_grid(reconstructions, scale=3, gap=2):
    """Tiles images into one picture: a row per stage, a column per image.

    Args:
        reconstructions: dict with `"input"`, `"corrupted"` and `"output"`, each an array
            `(n, H, W, C)` in [0, 1] (C is 1 or 3), as `Autoencoder.reconstruct` returns.
        scale: int >= 1. Each pixel becomes a `scale x scale` block.
        gap: int >= 0. White pixels between tiles (before scaling).

    Returns:
        uint8 array `(3 * (H + gap) - gap, n * (W + gap) - gap)` scaled by `scale`, with a
        trailing channel axis of 3 for color images.
    """
    missing = [name for name in ROWS if name not in reconstructions]
    if missing:
        raise ValueError(
            f"reconstructions needs the keys {', '.join(ROWS)}. Missing: {', '.join(missing)}"
        )
    stages = [np.asarray(reconstructions[name], np.float32) for name in ROWS]
    n, height, width, channels = stages[0].shape
    if channels not in (1, 3) or any(stage.shape != stages[0].shape for stage in stages):
        raise ValueError(
            "reconstructions must hold arrays of one shape (n, H, W, 1 or 3). Received shapes "
            f"{[stage.shape for stage in stages]}"
        )
    grid = np.ones((len(ROWS) * (height + gap) - gap, n * (width + gap) - gap, channels), np.float32)
    for row, stage in enumerate(stages):
        for column, image in enumerate(stage):
            top, left = row * (height + gap), column * (width + gap)
            grid[top : top + height, left : left + width] = image
    grid = np.repeat(np.repeat(grid, scale, axis=0), scale, axis=1)
    pixels = np.round(np.clip(grid, 0.0, 1.0) * 255).astype(np.uint8)
    return pixels[..., 0] if channels == 1 else pixels


def save_reconstruction_grid(reconstructions, path, scale=3):
    """Writes `reconstruction_grid(reconstructions, scale)` as a PNG, in one rename.

    Args:
        reconstructions: dict of `"input"`, `"corrupted"`, `"output"` arrays (see
            `reconstruction_grid`).
        path: str. The PNG file to write; its folder is created if missing.
        scale: int >= 1. Pixel magnification.

    Example:
    ```python
    ssl_zoo.evaluation.save_reconstruction_grid(model.reconstruct(x_test[:8]), "masked.png")
    ```
    """
    from PIL import Image

    picture = Image.fromarray(reconstruction_grid(reconstructions, scale))
    files.write_file(path, lambda f: picture.save(f, format="PNG"))
