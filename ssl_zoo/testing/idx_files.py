"""Writers of tiny idx files, so tests of the MNIST-family loaders need no real data."""

import gzip
import os

import numpy as np


def write_idx(filename, array):
    """Writes a uint8 array as a gzip-compressed idx file (magic `0, 0, 8, ndim`)."""
    array = np.asarray(array, dtype=np.uint8)
    header = bytes([0, 0, 8, array.ndim]) + np.asarray(array.shape, dtype=">u4").tobytes()
    with gzip.open(filename, "wb") as f:
        f.write(header + array.tobytes())


def write_fashion_mnist(folder, num_train=6, num_test=4, seed=0):
    """Writes the four Fashion-MNIST files with random pixels; returns the arrays written.

    Returns:
        `(x_train, y_train), (x_test, y_test)` as uint8 arrays, images `(n, 28, 28)`.
    """
    rng = np.random.default_rng(seed)
    os.makedirs(folder, exist_ok=True)
    splits = []
    for prefix, n in (("train", num_train), ("t10k", num_test)):
        x = rng.integers(0, 256, (n, 28, 28), dtype=np.uint8)
        y = rng.integers(0, 10, (n,), dtype=np.uint8)
        write_idx(os.path.join(folder, f"{prefix}-images-idx3-ubyte.gz"), x)
        write_idx(os.path.join(folder, f"{prefix}-labels-idx1-ubyte.gz"), y)
        splits.append((x, y))
    return tuple(splits)
