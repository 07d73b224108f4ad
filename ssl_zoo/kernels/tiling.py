"""Block size of the fused NT-Xent kernels: framework-free arithmetic shared by the backends."""

# Each offset step holds a few (K, B, B) = (M * B) float32 tiles; 2**22 floats is 16 MiB.
TILE_FLOATS = 2**22
MIN_BLOCK = 128
MAX_BLOCK = 512
# Upper-triangle tiles (torch): B rows by C >= B columns, TRIANGLE_FLOATS (2 MiB) per tile.
TRIANGLE_ROWS = 256
TRIANGLE_FLOATS = 2**19


def choose_block_size(m, block_size=None):
    """Rows per block `B` for `m = 2N` rows, and the number of blocks `K = ceil(m / B)`.

    The default keeps one step's `(K, B, B)` tile near `TILE_FLOATS` floats (so memory stays
    O(M) with a small constant) while the batched matmuls stay large enough for the BLAS.

    Args:
        m: int, rows of `concat(z_a, z_b)`, or None while a trace leaves it unknown
            (then the default is `MIN_BLOCK`).
        block_size: int >= 1, or None for the default.

    Returns:
        (B, K): ints with `B <= m`; `K` is None when `m` is.
    """
    if block_size is None and m is None:
        b = MIN_BLOCK
    elif block_size is None:
        b = MAX_BLOCK
        while b > MIN_BLOCK and m * b > TILE_FLOATS:
            b //= 2
    else:
        b = _checked(block_size)
    if m is None:
        return b, None
    b = min(b, m)
    return b, -(-m // b)


def tile_shape(block_size=None):
    """(B, C): rows and columns of one upper-triangle tile, C >= B.

    A tile holds at most `max(B * B, TRIANGLE_FLOATS)` floats whatever the number of rows, so
    the kernel's memory beyond its O(M D) inputs is a constant.

    Args:
        block_size: int >= 1, rows per tile, or None for `TRIANGLE_ROWS`.
    """
    b = TRIANGLE_ROWS if block_size is None else _checked(block_size)
    return b, max(b, TRIANGLE_FLOATS // b)


def _checked(block_size):
    if not (isinstance(block_size, int) and block_size >= 1):
        raise ValueError(f"block_size must be an int >= 1. Received: block_size={block_size!r}")
    return block_size
