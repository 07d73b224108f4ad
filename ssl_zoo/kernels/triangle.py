"""The fused NT-Xent's tiled forward and backward in `keras.ops`, for the XLA backends.

`kernels/jax` and `kernels/tensorflow` compile these two functions with XLA and wrap them in
their own custom-gradient mechanism. Rows are padded to a multiple of the tile width `C`; row
block `I` (`B` rows) meets the column chunks from the one holding its first row on, so every
unordered pair of rows is visited once in tiles of a fixed `(B, C)` shape (docs/kernels.md).
Inside a tile, masks keep: for the rows' log-sum-exp, the columns from the block's first row
on, minus the diagonal and the padding; for the columns', only columns past the block (its own
square is symmetric and the rows already cover it). Loops are `fori_loop`s, so the graph stays
one tile big and the row count may be unknown while tracing. Tile products go through
`matmul(a, b) = a @ b`, by default `ops.matmul`; TensorFlow passes one with an explicit XLA
precision (`kernels/tensorflow/xla_matmul.py`), JAX pins its precision around the call.
"""

from keras import ops

from ssl_zoo.kernels import normalization


def forward(z, temperature, tile, matmul=ops.matmul):
    """Loss and residuals of `z` (M, D) float32 at a scalar float32 `temperature`.

    Args:
        z: (M, D) float32, `concat(z_a, z_b)`.
        temperature: scalar float32 tensor.
        tile: (B, C) from `tiling.tile_shape`.
        matmul: `f(a, b) = a @ b` on 2-D float32 tensors, for the tiles' products.

    Returns:
        (loss, residuals): the scalar loss and what `backward` needs (O(M D)).
    """
    m = ops.shape(z)[0]
    u, sq = normalization.normalize(z)  # (M, D), (M, 1)
    s = 1.0 / temperature
    lse = _row_lse(pad_rows(u, tile[1]), m, s, tile, matmul)[:m]  # (M,)
    s_pos = s * ops.sum(u * ops.roll(u, m // 2, axis=0), axis=1)  # (M,) s_{i, pos(i)}
    return ops.mean(lse - s_pos), (u, sq, lse, temperature)


def backward(inputs, residuals, g, tile, matmul=ops.matmul):
    """(dL/dz, dL/dtemperature) for the upstream gradient `g` of the loss.

    Args:
        inputs: `forward`'s (z, temperature), unused: `residuals` hold the normalized rows.
        residuals: the second output of `forward`.
        g: scalar upstream gradient.
        tile, matmul: as in `forward`.
    """
    del inputs
    u, sq, lse, temperature = residuals
    m = ops.shape(u)[0]
    s = 1.0 / temperature
    up = pad_rows(u, tile[1])
    lse = ops.pad(lse, [[0, ops.shape(up)[0] - m]])  # padding rows are masked; 0 keeps exp finite
    hu = _apply_h(up, lse, m, s, tile, matmul)[:m]  # (M, D) sum_j H_ij u_j
    d_u = (g * s / ops.cast(m, "float32")) * (hu - 2.0 * ops.roll(u, m // 2, axis=0))
    d_z, u_dot = normalization.backward(d_u, u, sq)  # (M, D), (M, 1)
    d_s = ops.sum(u_dot) / (2.0 * s)
    return d_z, -s * s * d_s


def pad_rows(u, c):
    """`u` (M, D) with zero rows appended up to a multiple of `c`."""
    m = ops.shape(u)[0]
    return ops.pad(u, [[0, (c - m % c) % c], [0, 0]])


def _masks(i, j, m, tile):
    """Boolean (B, C) masks of the tile at rows `i..`, columns `j..`: for rows, for columns."""
    b, c = tile
    rows = i + ops.arange(b)[:, None]
    cols = j + ops.arange(c)[None, :]
    inside = ops.logical_and(rows < m, cols < m)
    for_rows = ops.logical_and(ops.logical_and(cols >= i, cols != rows), inside)
    return for_rows, ops.logical_and(cols >= i + b, inside)


def _tile_loop(i, mp, c, body, carry):
    """Run `body(j, carry)` over the column chunks `j` from the one holding row `i` on."""
    return ops.fori_loop(i // c, mp // c, lambda jc, carry: body(jc * c, carry), carry)


def _row_lse(up, m, s, tile, matmul):
    """LSE_i = log sum_{j != i} exp(s u_i . u_j) over the real rows; padded (Mp,)."""
    b, c = tile
    mp, d = ops.shape(up)
    lse = ops.full((mp,), -float("inf"), dtype="float32")

    def row_block(r, lse):
        i = r * b
        us = ops.slice(up, [i, 0], [b, d]) * s

        def chunk(j, lse):
            t = matmul(us, ops.transpose(ops.slice(up, [j, 0], [c, d])))  # (B, C)
            for_rows, for_cols = _masks(i, j, m, tile)
            neg = ops.full_like(t, -float("inf"))
            rows = ops.logsumexp(ops.where(for_rows, t, neg), axis=1)  # (B,)
            lse = ops.slice_update(lse, [i], ops.logaddexp(ops.slice(lse, [i], [b]), rows))
            cols = ops.logsumexp(ops.where(for_cols, t, neg), axis=0)  # (C,)
            return ops.slice_update(lse, [j], ops.logaddexp(ops.slice(lse, [j], [c]), cols))

        return _tile_loop(i, mp, c, chunk, lse)

    return ops.fori_loop(0, mp // b, row_block, lse)


def _apply_h(up, lse, m, s, tile, matmul):
    """sum_j H_ij u_j with H = P + P^T, P_ij = exp(s_ij - LSE_i), tiles recomputed. (Mp, D)."""
    b, c = tile
    mp, d = ops.shape(up)

    def row_block(r, hu):
        i = r * b
        u_rows = ops.slice(up, [i, 0], [b, d])
        us, lse_rows = u_rows * s, ops.slice(lse, [i], [b])[:, None]

        def chunk(j, carry):
            hu, hu_rows = carry
            u_cols = ops.slice(up, [j, 0], [c, d])
            t = matmul(us, ops.transpose(u_cols))  # (B, C)
            for_rows, for_cols = _masks(i, j, m, tile)
            h = ops.exp(t - lse_rows) + ops.exp(t - ops.slice(lse, [j], [c])[None, :])
            h = ops.where(for_rows, h, 0.0)
            hu_cols = matmul(ops.transpose(ops.where(for_cols, h, 0.0)), u_rows)  # (C, D)
            hu = ops.slice_update(hu, [j, 0], ops.slice(hu, [j, 0], [c, d]) + hu_cols)
            return hu, hu_rows + matmul(h, u_cols)

        hu, hu_rows = _tile_loop(i, mp, c, chunk, (hu, ops.zeros((b, d))))
        return ops.slice_update(hu, [i, 0], ops.slice(hu, [i, 0], [b, d]) + hu_rows)

    return ops.fori_loop(0, mp // b, row_block, ops.zeros((mp, d)))
