"""Fused NT-Xent for TensorFlow: block-offset tiling, online log-sum-exp, `tf.custom_gradient`.

The same scheme as `ssl_zoo/kernels/jax/nt_xent_fused.py` (KERNEL_NOTES.md, "offsets"): `u`
is split into `K` blocks of `B` rows, `(K, B, D)`; offset `o` pairs block `k` with block
`(k + o) mod K` in one batched matmul, so `K / 2 + 1` products visit every unordered tile
pair once. The offset loops are `tf.while_loop`s, so graphs stay small under `tf.function`
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
        block_size: int, rows per tile, or None for `tiling.choose_block_size`'s default.

    Returns:
        Scalar float32 tensor; gradients reach `z_a`, `z_b` (in their dtype) and `temperature`.
    """
    z_a, z_b = tf.convert_to_tensor(z_a), tf.convert_to_tensor(z_b)
    m = 2 * int(z_a.shape[0])
    b, _ = tiling.choose_block_size(m, block_size)
    z = tf.concat([tf.cast(z_a, tf.float32), tf.cast(z_b, tf.float32)], axis=0)  # (M, D)
    t = tf.reshape(tf.cast(temperature, tf.float32), ())
    return _nt_xent(b)(z, t)


def _nt_xent(b):
    @tf.custom_gradient
    def loss(z, temperature):
        m = int(z.shape[0])
        sq = tf.reduce_sum(z * z, axis=1, keepdims=True)  # (M, 1)
        u = z * tf.math.rsqrt(tf.maximum(sq, EPSILON))  # (M, D)
        s = 1.0 / temperature
        ub, mask = _blocks(u, b)
        lse = tf.reshape(_row_lse(ub, mask, s), [-1])[:m]  # (M,)
        s_pos = s * tf.reduce_sum(u * tf.roll(u, m // 2, axis=0), axis=1)  # (M,)

        def grad(g):
            k = int(ub.shape[0])
            # Padding rows get LSE = +inf: P = exp(s - LSE) is 0 on their rows, and on
            # their columns H multiplies u = 0.
            lse_b = tf.reshape(tf.pad(lse, [[0, k * b - m]], constant_values=float("inf")), [k, b])
            hu = tf.reshape(_apply_h(ub, lse_b, s), [-1, int(u.shape[1])])[:m]  # (M, D)
            d_u = (g * s / m) * (hu - 2.0 * tf.roll(u, m // 2, axis=0))  # (M, D) dL/du
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
    m, d = int(u.shape[0]), int(u.shape[1])
    k = -(-m // b)
    ub = tf.reshape(tf.pad(u, [[0, k * b - m], [0, 0]]), [k, b, d])
    if k * b == m:
        return ub, None
    mask = tf.where(tf.range(k * b) < m, 0.0, -float("inf"))
    return ub, tf.reshape(mask, [k, b])


def _tile(u_rows, u_cols, s, mask_rows=None, mask_cols=None):
    """(K, B, D) x (K, B, D) -> (K, B, B) scaled similarities, padding masked by -inf."""
    t = tf.matmul(u_rows, u_cols, transpose_b=True) * s
    if mask_rows is not None:
        t = t + mask_rows[:, :, None] + mask_cols[:, None, :]
    return t


def _merge(m, l, t, axis):
    """Online log-sum-exp: fold the tile `t` (K, B, B), reduced along `axis`, into (m, l)."""
    m_new = tf.maximum(m, tf.reduce_max(t, axis=axis))  # (K, B)
    e = tf.exp(t - tf.expand_dims(m_new, axis))
    return m_new, l * tf.exp(m - m_new) + tf.reduce_sum(e, axis=axis)


def _diagonal_mask(b):
    """(B, B): -inf on the diagonal, so s_ii is excluded inside the offset-0 tiles."""
    return tf.linalg.diag(tf.fill([b], -float("inf")))


def _row_lse(ub, mask, s):
    """LSE_i = log sum_{j != i} exp(s u_i . u_j) for every row of `ub` (K, B, D) -> (K, B)."""
    k, b = int(ub.shape[0]), int(ub.shape[1])
    # Every s_ij >= -s, so the running max starts finite and exp(m - m_new) never meets inf - inf.
    m = tf.fill([k, b], -s)
    l = tf.zeros([k, b])
    m, l = _merge(m, l, _tile(ub, ub, s, mask, mask) + _diagonal_mask(b), axis=2)

    def offset(o, m, l, u_cols):  # rows of block k meet columns of block k + o
        u_cols = tf.roll(u_cols, -1, axis=0)
        mask_cols = None if mask is None else tf.roll(mask, -o, axis=0)
        t = _tile(ub, u_cols, s, mask, mask_cols)  # (K, B, B)
        m, l = _merge(m, l, t, axis=2)
        m_c, l_c = _merge(tf.roll(m, -o, axis=0), tf.roll(l, -o, axis=0), t, axis=1)
        return o + 1, tf.roll(m_c, o, axis=0), tf.roll(l_c, o, axis=0), u_cols

    _, m, l, _ = tf.while_loop(
        lambda o, *_: o < (k + 1) // 2, offset, (tf.constant(1), m, l, ub)
    )
    if k % 2 == 0 and k > 1:  # offset K/2 pairs block k with k + K/2 twice: take the first half
        h = k // 2
        ma, mc = (None, None) if mask is None else (mask[:h], mask[h:])
        t = _tile(ub[:h], ub[h:], s, ma, mc)  # (K/2, B, B)
        m_a, l_a = _merge(m[:h], l[:h], t, axis=2)
        m_c, l_c = _merge(m[h:], l[h:], t, axis=1)
        m, l = tf.concat([m_a, m_c], 0), tf.concat([l_a, l_c], 0)
    return m + tf.math.log(l)


def _h(t, lse_rows, lse_cols):
    """H = P + P^T on a tile: P_ij = exp(s_ij - LSE_i), P_ji = exp(s_ij - LSE_j). (K, B, B)."""
    return tf.exp(t - lse_rows[:, :, None]) + tf.exp(t - lse_cols[:, None, :])


def _apply_h(ub, lse, s):
    """sum_j H_ij u_j for every row, recomputing the tiles offset by offset. (K, B, D)."""
    k, b = int(ub.shape[0]), int(ub.shape[1])
    hu = tf.matmul(_h(_tile(ub, ub, s) + _diagonal_mask(b), lse, lse), ub)

    def offset(o, hu, u_cols):  # dU_I += H_IJ U_J and dU_J += H_IJ^T U_I from one tile
        u_cols = tf.roll(u_cols, -1, axis=0)
        h = _h(_tile(ub, u_cols, s), lse, tf.roll(lse, -o, axis=0))  # (K, B, B)
        hu_cols = tf.matmul(h, ub, transpose_a=True)  # belongs to block k + o
        return o + 1, hu + tf.matmul(h, u_cols) + tf.roll(hu_cols, o, axis=0), u_cols

    _, hu, _ = tf.while_loop(lambda o, *_: o < (k + 1) // 2, offset, (tf.constant(1), hu, ub))
    if k % 2 == 0 and k > 1:
        h2 = k // 2
        h = _h(_tile(ub[:h2], ub[h2:], s), lse[:h2], lse[h2:])  # (K/2, B, B)
        hu = hu + tf.concat(
            [tf.matmul(h, ub[h2:]), tf.matmul(h, ub[:h2], transpose_a=True)], 0
        )
    return hu
