"""Block size of the fused NT-Xent kernels: framework-free arithmetic shared by the backends."""

# Each offset step holds a few (K, B, B) = (M * B) float32 tiles; 2**22 floats is 16 MiB.
TILE_FLOATS = 2**22
MIN_BLOCK = 128
MAX_BLOCK = 512


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
        if not (isinstance(block_size, int) and block_size >= 1):
            raise ValueError(f"block_size must be an int >= 1. Received: block_size={block_size!r}")
        b = block_size
    if m is None:
        return b, None
    b = min(b, m)
    return b, -(-m // b)
