"""Image files for tests: written with Pillow, readable or cut short."""

import os

import numpy as np
from PIL import Image


def write_image(path, array):
    """Save a uint8 `(h, w)` or `(h, w, c)` array as an image file (format from the name),
    creating its folders."""
    os.makedirs(os.path.dirname(os.fspath(path)) or ".", exist_ok=True)
    Image.fromarray(np.asarray(array, dtype=np.uint8)).save(path)


def write_truncated_image(path, array):
    """Save `array` as `path`, then cut the file to its first half, as an interrupted copy does."""
    write_image(path, array)
    with open(path, "rb") as f:
        content = f.read()
    with open(path, "wb") as f:
        f.write(content[: len(content) // 2])
