"""Tile shapes of the fused NT-Xent and InfoNCE kernels: framework-free arithmetic shared by the
backends.

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
    b = _rows(block_size)
    if m is None:
        return b, b
    c = max(1, min(TRIANGLE_FLOATS // (b * b), m // (WASTE_DIVISOR * b))) * b
    b = min(b, m)
    return b, min(c, -(-m // b) * b)


def info_nce_tile_shape(block_size=None, n=None, rows=TRIANGLE_ROWS, floats=TRIANGLE_FLOATS):
    """(B, C): query rows and key (or negative) columns of one InfoNCE tile.

    The logits have no symmetry to exploit, so a tile is a plain `(B, C)` block of about
    `max(B * B, floats)` floats: `C = max(B, floats // B)` columns.

    Args:
        block_size: int >= 1, rows per tile (columns from the budget); a pair (B, C) of ints
            >= 1; or None for `rows` rows.
        n: int, rows of `queries`, or None when unknown: at most `n` rows per tile (and then
            wider tiles, to stay near the budget).
        rows, floats: the default rows and the float budget of a tile (the XLA tiles use
            NT-Xent's; torch's are larger, see `kernels/torch/info_nce_fused.py`).

    Returns:
        (B, C) ints.
    """
    if isinstance(block_size, (tuple, list)):
        if len(block_size) != 2 or not all(arguments.is_int(x) and x >= 1 for x in block_size):
            raise ValueError(
                "block_size must be an int >= 1 or a pair (rows, columns) of them. "
                f"Received: block_size={block_size!r}"
            )
        b, c = block_size
    else:
        b = rows if block_size is None else _rows(block_size)
        b = b if n is None else min(b, n)
        c = max(b, floats // b)
    return (b if n is None else min(b, n)), c


def info_nce_operands(queries, keys, negatives, block_size, to_float32, empty_bank, **budget):
    """(tile, queries, keys, negatives) for a fused InfoNCE kernel, whatever the framework.

    Args:
        queries, keys, negatives: the kernel's arguments; negatives may be None.
        block_size: as in `info_nce_tile_shape`.
        to_float32: `f(x)`, `x` as a float32 array of the backend.
        empty_bank: `f(d)`, a (0, d) float32 array of the backend, for `negatives=None`.
        **budget: `rows` and `floats` for `info_nce_tile_shape`.
    """
    tile = info_nce_tile_shape(block_size, queries.shape[0], **budget)
    if negatives is None:
        negatives = empty_bank(queries.shape[1])
    return (tile, *(to_float32(x) for x in (queries, keys, negatives)))


def _rows(block_size):
    if block_size is None:
        return TRIANGLE_ROWS
    if arguments.is_int(block_size) and block_size >= 1:
        return block_size
    raise ValueError(f"block_size must be an int >= 1. Received: block_size={block_size!r}")
