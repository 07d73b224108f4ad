"""Random masks that hide a fixed number of square patches per image (MAE-style)."""

import math

import keras


def patch_grid(height, width, patch_size):
    """Rows and columns of the patch grid covering a `height x width` image.

    The last row and column of patches are cut at the image border when `patch_size` does
    not divide the sides.
    """
    return math.ceil(height / patch_size), math.ceil(width / patch_size)


def random_patch_mask(batch_size, height, width, patch_size, num_hidden, seed=None):
    """One random pixel mask per image that hides exactly `num_hidden` patches.

    He et al., "Masked Autoencoders Are Scalable Vision Learners" (CVPR 2022), Sec. 3:
    "we sample random patches without replacement, following a uniform distribution". The
    patches are the cells of a `patch_size` grid (`patch_grid`); the hidden ones are the
    `num_hidden` cells with the smallest uniform noise, as in MAE's shuffle-and-keep.

    Args:
        batch_size: int or scalar tensor. Masks B.
        height: int. Image height H.
        width: int. Image width W.
        patch_size: int. Side of a patch in pixels.
        num_hidden: int in [0, number of patches]. Patches hidden per image.
        seed: None, int or `keras.random.SeedGenerator`.

    Returns:
        float32 tensor (B, H, W, 1): 1 on hidden pixels, 0 on visible ones.

    Example:
    ```python
    mask = ssl_zoo.augmentations.random_patch_mask(8, 28, 28, patch_size=4, num_hidden=24)
    # each of the 8 masks hides 24 of the 49 4x4 patches: 384 pixels
    ```
    """
    rows, columns = patch_grid(height, width, patch_size)
    num_patches = rows * columns
    if not 0 <= num_hidden <= num_patches:
        raise ValueError(
            f"num_hidden must be in [0, {num_patches}] for a {rows}x{columns} patch grid. "
            f"Received: num_hidden={num_hidden}"
        )
    noise = keras.random.uniform((batch_size, num_patches), seed=seed)
    ranks = keras.ops.argsort(keras.ops.argsort(noise, axis=1), axis=1)  # (B, N), a permutation
    hidden = keras.ops.cast(ranks < num_hidden, "float32")
    grid = keras.ops.reshape(hidden, (-1, rows, columns, 1))
    pixels = keras.ops.repeat(keras.ops.repeat(grid, patch_size, axis=1), patch_size, axis=2)
    return pixels[:, :height, :width, :]
