"""The fused InfoNCE's tiled forward and backward in `keras.ops`, for the XLA backends.

`kernels/jax` and `kernels/tensorflow` compile these two functions with XLA and wrap them in
their own custom-gradient mechanism (`jax/xla_tiles.py`, `tensorflow/xla_programs.py`). The
columns of the logits are the keys, then the negatives. Each set is walked in chunks of `C`
rows, normalized chunk by chunk, and each chunk meets every block of `B` queries: one `(B, C)`
tile at a time, never the `(N, N + K)` logits (docs/kernels.md). Tiles have static shapes: the
full chunks run in a `fori_loop`, the last `R mod C` rows of a set as one narrower chunk. Where
a set's row count is unknown while tracing (TensorFlow with a `None` batch size) it is padded
to a multiple of `C` and the padding's logits are `-inf`. Queries are padded with zero rows to
a multiple of `B`; their LSE is dropped from the loss and their softmax is 0 in the backward.
The bank of negatives is read in place: the only `K x D` buffer is its gradient. With
`batch_negatives=False` (MoCo v1/v2) the walk over the keys is skipped: each query's LSE starts
at its positive's logit instead of `-inf`, and the positive's gradient is row-wise.
"""

import functools

from keras import ops

from ssl_zoo.kernels import normalization
from ssl_zoo.kernels.triangle import pad_rows


def forward(
    queries, keys, negatives, temperature, tile, matmul=ops.matmul, batch_negatives=True
):
    """Loss and residuals of InfoNCE over float32 `queries`, `keys` (N, D), `negatives` (K, D).

    Args:
        queries: (N, D) float32.
        keys: (N, D) float32; key i is query i's positive.
        negatives: (K, D) float32, K >= 0.
        temperature: scalar float32 tensor.
        tile: (B, C) from `tiling.info_nce_tile_shape`.
        matmul: `f(a, b) = a @ b` on 2-D float32 tensors, for the tiles' products.
        batch_negatives: bool. False: the columns are each query's own key and the negatives.

    Returns:
        (loss, lse): the scalar loss and the per-query log-sum-exp (N,), all `backward` needs
        beside the inputs.
    """
    b = tile[0]
    n = ops.shape(queries)[0]
    u_q, _ = normalization.normalize(queries)  # (N, D)
    s = 1.0 / temperature
    us = pad_rows(u_q * s, b)  # (Np, D)
    s_pos = s * ops.sum(u_q * normalization.normalize(keys)[0], axis=1)  # (N,) s u_q_i . u_k_i
    if batch_negatives:
        columns = (keys, negatives)
        lse = ops.full((ops.shape(us)[0],), -float("inf"), dtype="float32")
    else:  # the positive is the first logit and the batch's other keys are no columns
        columns = (negatives,)
        lse = ops.pad(s_pos, [[0, ops.shape(us)[0] - n]], constant_values=-float("inf"))

    def chunk(j, x_c, bias, lse):
        u_c, _ = normalization.normalize(x_c)  # (W, D)

        def row_block(r, lse):
            i = r * b
            rows = ops.logsumexp(_logits(us, i, u_c, bias, b, matmul), axis=1)  # (B,)
            return ops.slice_update(lse, [i], ops.logaddexp(ops.slice(lse, [i], [b]), rows))

        return ops.fori_loop(0, ops.shape(us)[0] // b, row_block, lse)

    for x in columns:
        lse = _walk(x, tile[1], chunk, lse)
    lse = lse[:n]
    return ops.mean(lse - s_pos), lse


def backward(inputs, lse, g, tile, matmul=ops.matmul, batch_negatives=True):
    """(dL/dqueries, dL/dkeys, dL/dnegatives, dL/dtemperature) for the upstream gradient `g`.

    With P the per-query softmax over [keys; negatives] and c = g s / N:
    dL/du_q = c (P [U_k; U_n] - U_k), dL/du_k = c (P_k^T U_q - U_q), dL/du_n = c P_n^T U_q,
    then through each normalization; dL/ds = (1 / s) sum_i u_q_i . dL/du_q_i. With
    `batch_negatives=False`, P is over [own key; negatives] and p_pos_i = exp(s_pos_i - lse_i):
    dL/du_q = c (p_pos U_k + P_n U_n - U_k), dL/du_k = c (p_pos - 1) U_q (row-wise).

    Args:
        inputs: `forward`'s (queries, keys, negatives, temperature).
        lse: the second output of `forward`.
        g: scalar upstream gradient.
        tile, matmul, batch_negatives: as in `forward`.
    """
    queries, keys, negatives, temperature = inputs
    b, c = tile
    n, d = ops.shape(queries)[0], queries.shape[1]
    s = 1.0 / temperature
    scale = g * s / ops.cast(n, "float32")
    u_q, sq_q = normalization.normalize(queries)  # (N, D), (N, 1)
    u_qp = pad_rows(u_q, b)  # (Np, D)
    us, mp = u_qp * s, ops.shape(u_qp)[0]
    lse = ops.pad(lse, [[0, mp - n]], constant_values=float("inf"))  # padding rows: P = 0

    def chunk_with(through_normalization):
        def chunk(j, x_c, bias, carry):
            """Add P_{:, chunk} U_c to d_uq; write c P_{:, chunk}^T U_q (or dL/dx) to rows j."""
            d_uq, d_x = carry
            u_c, sq_c = normalization.normalize(x_c)  # (W, D), (W, 1)

            def row_block(r, carry):
                d_uq, pu = carry
                i = r * b
                t = _logits(us, i, u_c, bias, b, matmul)  # (B, W)
                p = ops.exp(t - ops.slice(lse, [i], [b])[:, None])  # P_ic
                d_rows = ops.slice(d_uq, [i, 0], [b, d]) + matmul(p, u_c)  # (B, D)
                pu = pu + matmul(ops.transpose(p), ops.slice(u_qp, [i, 0], [b, d]))  # (W, D)
                return ops.slice_update(d_uq, [i, 0], d_rows), pu

            d_uq, pu = ops.fori_loop(0, mp // b, row_block, (d_uq, ops.zeros_like(u_c)))
            d_c = scale * pu
            if through_normalization:
                d_c = normalization.backward(d_c, u_c, sq_c)[0]
            return d_uq, ops.slice_update(d_x, [j, 0], d_c)

        return chunk

    u_k, sq_k = normalization.normalize(keys)
    if batch_negatives:  # d_uq = P_k U_k, d_uk = c P_k^T U_q
        d_uq, d_uk = _walk(keys, c, chunk_with(False), (ops.zeros_like(us), _buffer(keys, c)))
    else:
        p_pos = ops.exp(s * ops.sum(u_q * u_k, axis=1, keepdims=True) - lse[:n, None])  # (N, 1)
        d_uq, d_uk = pad_rows(p_pos * u_k, b), scale * p_pos * u_q
    d_uq, d_n = _walk(negatives, c, chunk_with(True), (d_uq, _buffer(negatives, c)))
    d_k = normalization.backward(d_uk[:n] - scale * u_q, u_k, sq_k)[0]
    d_q, u_dot = normalization.backward(scale * (d_uq[:n] - u_k), u_q, sq_q)
    d_s = ops.sum(u_dot) / s
    return d_q, d_k, d_n[: ops.shape(negatives)[0]], -s * s * d_s


@functools.lru_cache(maxsize=None)
def pair(batch_negatives):
    """(forward, backward) with `batch_negatives` bound: one pair per value, so that the
    compiled programs the wrappers cache per function are compiled once per value."""
    return tuple(
        functools.partial(f, batch_negatives=batch_negatives) for f in (forward, backward)
    )


def _logits(us, i, u_c, bias, b, matmul):
    """(B, W) s u_q . u_c for the query block at row `i`; `bias` (W,) masks padding."""
    t = matmul(ops.slice(us, [i, 0], [b, u_c.shape[1]]), ops.transpose(u_c))
    return t if bias is None else t + bias[None, :]


def _walk(x, c, body, carry):
    """`carry = body(j, x[j : j + W], bias, carry)` over the chunks of `c` rows of `x` (R, D).

    The full chunks run in a `fori_loop` and the last `R mod c` rows as a chunk of their own
    (`bias` None). Where R is unknown until run time, `x` is padded to a multiple of `c` and
    `bias` (c,) is `-inf` on the padding.
    """
    r, d = x.shape
    if r is None:
        rows, xp = ops.shape(x)[0], pad_rows(x, c)

        def padded(jc, carry):
            j = jc * c
            bias = ops.where(j + ops.arange(c) < rows, 0.0, -float("inf"))
            return body(j, ops.slice(xp, [j, 0], [c, d]), bias, carry)

        return ops.fori_loop(0, ops.shape(xp)[0] // c, padded, carry)

    def full(jc, carry):
        return body(jc * c, ops.slice(x, [jc * c, 0], [c, d]), None, carry)

    if r // c:  # a loop of no steps would still trace its body, on a slice that can't exist
        carry = ops.fori_loop(0, r // c, full, carry)
    if r % c:
        carry = body(r - r % c, ops.slice(x, [r - r % c, 0], [r % c, d]), None, carry)
    return carry


def _buffer(x, c):
    """Zeros for the gradient of `x`: its shape, padded to a multiple of `c` if R is unknown."""
    return ops.zeros_like(x if x.shape[0] is not None else pad_rows(x, c))
