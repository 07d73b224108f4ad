"""Fused NT-Xent for TensorFlow: block-offset tiling, online log-sum-exp, `tf.custom_gradient`.

The same scheme as `ssl_zoo/kernels/jax/nt_xent_fused.py` (KERNEL_NOTES.md, "offsets"): `u`
is split into `K` blocks of `B` rows, `(K, B, D)`; offset `o` pairs block `k` with block
`(k + o) mod K` in one batched matmul, so offsets `1 .. K / 2` visit every unordered tile pair
(the offset `K / 2` of an even `K` meets each pair from both sides and so folds rows only).
The offset loops are `tf.while_loop`s and the row count may be unknown while tracing (Keras
traces `train_step` with a `None` batch dimension), so graphs stay small under `tf.function`
and XLA. Only `u`, `|z|^2` and the per-row LSE are kept for the backward.
"""

import tensorflow as tf

from ssl_zoo.kernels import tiling

EPSILON = 1e-12  # squared-norm floor, as in `reference.normalize_rows`


def nt_xent_fused(z_a, z_b, temperature=0.5, block_size=None):
    """NT-Xent (SimCLR, Eq. 1) without the (2N, 2N) matrix; O(N D) memory for the backward.

    Args:
        z_a: float tensor (N, D), float32, bfloat16 or float16. Projections of the first views.
        z_b: float tensor (N, D). Projections of the second views.
        temperature: float > 0, or a scalar tensor/variable (learnable; receives a gradient).
        block_size: int, rows per tile, or None for `tiling.choose_block_size`'s default
            (`tiling.MIN_BLOCK` when N is unknown while tracing).

    Returns:
        Scalar float32 tensor; gradients reach `z_a`, `z_b` (in their dtype) and `temperature`.
    """
    z_a, z_b = tf.convert_to_tensor(z_a), tf.convert_to_tensor(z_b)
    n = z_a.shape[0]
    b, _ = tiling.choose_block_size(None if n is None else 2 * n, block_size)
    z = tf.concat([tf.cast(z_a, tf.float32), tf.cast(z_b, tf.float32)], axis=0)  # (M, D)
    t = tf.reshape(tf.cast(temperature, tf.float32), ())
    return _nt_xent(b)(z, t)


def _nt_xent(b):
    @tf.custom_gradient
    def loss(z, temperature):
        m = tf.shape(z)[0]
        sq = tf.reduce_sum(z * z, axis=1, keepdims=True)  # (M, 1)
        u = z * tf.math.rsqrt(tf.maximum(sq, EPSILON))  # (M, D)
        s = 1.0 / temperature
        ub, mask = _blocks(u, b)
        lse = tf.reshape(_row_lse(ub, mask, s), [-1])[:m]  # (M,)
        s_pos = s * tf.reduce_sum(u * tf.roll(u, m // 2, axis=0), axis=1)  # (M,)

        def grad(g):
            k = tf.shape(ub)[0]
            # Padding rows get LSE = +inf: P = exp(s - LSE) is 0 on their rows, and on
            # their columns H multiplies u = 0.
            lse_b = tf.reshape(tf.pad(lse, [[0, k * b - m]], constant_values=float("inf")), [k, b])
            hu = tf.reshape(_apply_h(ub, lse_b, s), [k * b, -1])[:m]  # (M, D)
            d_u = (g * s / tf.cast(m, tf.float32)) * (hu - 2.0 * tf.roll(u, m // 2, axis=0))
            u_dot = tf.reduce_sum(d_u * u, axis=1, keepdims=True)  # (M, 1)
            d_s = tf.reduce_sum(u_dot) / (2.0 * s)
            # u = z / |z| where |z|^2 > EPSILON; below it u = z / sqrt(EPSILON) is linear.
            radial = tf.where(sq > EPSILON, u_dot, tf.zeros_like(u_dot)) * u
            d_z = (d_u - radial) * tf.math.rsqrt(tf.maximum(sq, EPSILON))
            return d_z, -s * s * d_s

        return tf.reduce_mean(lse - s_pos), grad

    return loss


def _blocks(u, b):
    """(M, D) -> (K, B, D) with zero padding rows, and the (K, B) additive mask or None."""
    m, d = u.shape
    if m is not None and m % b == 0:
        return tf.reshape(u, [m // b, b, d]), None
    m = tf.shape(u)[0]
    k = (m + b - 1) // b
    ub = tf.reshape(tf.pad(u, [[0, k * b - m], [0, 0]]), [k, b, d if d is not None else -1])
    mask = tf.where(tf.range(k * b) < m, 0.0, -float("inf"))
    return ub, tf.reshape(mask, [k, b])


def _tile(us_rows, u_cols, mask_rows=None, mask_cols=None):
    """(K, B, D) x (K, B, D) -> (K, B, B) similarities; rows come pre-scaled by s = 1/t."""
    t = tf.matmul(us_rows, u_cols, transpose_b=True)
    if mask_rows is not None:
        t = t + mask_rows[:, :, None] + mask_cols[:, None, :]
    return t


def _diagonal_mask(b):
    """(B, B): -inf on the diagonal, so s_ii is excluded inside the offset-0 tiles."""
    return tf.linalg.diag(tf.fill([b], -float("inf")))


def _row_lse(ub, mask, s):
    """LSE_i = log sum_{j != i} exp(s u_i . u_j) for every row of `ub` (K, B, D) -> (K, B).

    Each tile's row and column log-sum-exps fold into the running values with `logaddexp`
    form (max plus log1p of exp), the online form that stays exact for any temperature.
    """
    k = tf.shape(ub)[0]
    us = ub * s  # (K, B, D): scaling the rows once spares a pass over every tile
    lse = tf.reduce_logsumexp(_tile(us, ub, mask, mask) + _diagonal_mask(ub.shape[1]), axis=2)

    def offset(o, lse, u_cols):  # rows of block k meet columns of block k + o
        u_cols = tf.roll(u_cols, -1, axis=0)
        mask_cols = None if mask is None else tf.roll(mask, -o, axis=0)
        t = _tile(us, u_cols, mask, mask_cols)  # (K, B, B)
        lse = _logaddexp(lse, tf.reduce_logsumexp(t, axis=2))
        lse = tf.cond(  # the columns' side, unless offset K/2 meets it again from its rows
            2 * o < k,
            lambda: _logaddexp(lse, tf.roll(tf.reduce_logsumexp(t, axis=1), o, axis=0)),
            lambda: lse,
        )
        return o + 1, lse, u_cols

    _, lse, _ = tf.while_loop(lambda o, *_: o <= k // 2, offset, (tf.constant(1), lse, ub))
    return lse


def _logaddexp(x, y):
    """log(exp(x) + exp(y)) elementwise, exact when one side is -inf."""
    big = tf.maximum(x, y)
    return big + tf.math.log1p(tf.exp(tf.minimum(x, y) - big))


def _h(t, lse_rows, lse_cols):
    """H = P + P^T on a tile: P_ij = exp(s_ij - LSE_i), P_ji = exp(s_ij - LSE_j). (K, B, B)."""
    return tf.exp(t - lse_rows[:, :, None]) + tf.exp(t - lse_cols[:, None, :])


def _apply_h(ub, lse, s):
    """sum_j H_ij u_j for every row, recomputing the tiles offset by offset. (K, B, D)."""
    k = tf.shape(ub)[0]
    us = ub * s
    hu = tf.matmul(_h(_tile(us, ub) + _diagonal_mask(ub.shape[1]), lse, lse), ub)

    def offset(o, hu, u_cols):  # dU_I += H_IJ U_J and dU_J += H_IJ^T U_I from one tile
        u_cols = tf.roll(u_cols, -1, axis=0)
        h = _h(_tile(us, u_cols), lse, tf.roll(lse, -o, axis=0))  # (K, B, B)
        hu = hu + tf.matmul(h, u_cols)
        hu = tf.cond(  # the columns' side, unless offset K/2 meets it again from its rows
            2 * o < k,
            lambda: hu + tf.roll(tf.matmul(h, ub, transpose_a=True), o, axis=0),
            lambda: hu,
        )
        return o + 1, hu, u_cols

    _, hu, _ = tf.while_loop(lambda o, *_: o <= k // 2, offset, (tf.constant(1), hu, ub))
    return hu
