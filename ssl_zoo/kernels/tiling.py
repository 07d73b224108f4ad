"""Tile shape of the fused NT-Xent kernels: framework-free arithmetic shared by the backends.

Why tiles of this size: docs/kernels.md; the benchmarks that chose them: docs/decisions.md.
"""

from ssl_zoo import arguments

# Upper-triangle tiles: B rows by C columns (C a multiple of B), about 1 MiB of float32 each,
# small enough that a tile's several passes (masks, exp, reductions) stay in cache.
TRIANGLE_ROWS = 512
TRIANGLE_FLOATS = 2**18
# A row block computes, on average, half a chunk of columns below the diagonal that the
# masks then drop: C / M of the triangle's work. Chunks of at most M / 16 columns keep that
# waste small where M is only a few tiles wide.
WASTE_DIVISOR = 16


def tile_shape(block_size=None, m=None):
    """(B, C): rows and columns of one upper-triangle tile; C is a multiple of B.

    A tile holds about `max(B * B, TRIANGLE_FLOATS)` floats whatever the number of rows, so
    the kernel's memory beyond its O(M D) inputs is a constant. Small `m` narrows the tile
    (at most `m / WASTE_DIVISOR` columns, at least `B`) and shrinks it to fit; an unknown `m`
    (a trace with a `None` batch size) gets square tiles, so padding to a multiple of `C`
    stays small.

    Args:
        block_size: int >= 1, rows per tile, or None for `TRIANGLE_ROWS`.
        m: int, rows of `concat(z_a, z_b)`, or None when unknown.

    Returns:
        (B, C) ints.
    """
    if block_size is None:
        b = TRIANGLE_ROWS
    elif arguments.is_int(block_size) and block_size >= 1:
        b = block_size
    else:
        raise ValueError(f"block_size must be an int >= 1. Received: block_size={block_size!r}")
    if m is None:
        return b, b
    c = max(1, min(TRIANGLE_FLOATS // (b * b), m // (WASTE_DIVISOR * b))) * b
    b = min(b, m)
    return b, min(c, -(-m // b) * b)
