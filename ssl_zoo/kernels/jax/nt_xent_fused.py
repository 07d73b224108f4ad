"""Fused NT-Xent for JAX: block-offset tiling, online log-sum-exp and a `jax.custom_vjp`.

The (2N, 2N) similarity matrix is never built. `u` is split into `K` blocks of `B` rows, a
`(K, B, D)` tensor; offset `o` pairs block `k` with block `(k + o) mod K` in one batched matmul,
so the `K / 2 + 1` offsets visit each unordered tile pair once (see KERNEL_NOTES.md, "offsets").
"""

import functools

import jax
import jax.numpy as jnp

from ssl_zoo.kernels import tiling

EPSILON = 1e-12  # squared-norm floor, as in `reference.normalize_rows`
HIGHEST = jax.lax.Precision.HIGHEST  # no TF32 on GPUs: the tests compare with float64


def nt_xent_fused(z_a, z_b, temperature=0.5, block_size=None):
    """NT-Xent (SimCLR, Eq. 1) without the (2N, 2N) matrix; O(N D) memory for the backward.

    Args:
        z_a: float array (N, D), float32, bfloat16 or float16. Projections of the first views.
        z_b: float array (N, D). Projections of the second views.
        temperature: float > 0, or a scalar array (learnable; receives a gradient).
        block_size: int, rows per tile, or None for `tiling.choose_block_size`'s default.

    Returns:
        Scalar float32 array; gradients reach `z_a`, `z_b` (in their dtype) and `temperature`.
    """
    m = 2 * z_a.shape[0]
    b, _ = tiling.choose_block_size(m, block_size)
    z = jnp.concatenate([z_a.astype(jnp.float32), z_b.astype(jnp.float32)])  # (M, D)
    t = jnp.asarray(temperature).astype(jnp.float32).reshape(())
    return _nt_xent_jit(b, z, t)


@functools.partial(jax.custom_vjp, nondiff_argnums=(0,))
def _nt_xent(b, z, temperature):
    """Loss of `z` (M, D) float32 at scalar `temperature`, tiled in blocks of `b` rows."""
    return _forward(b, z, temperature)[0]


def _forward(b, z, temperature):
    m = z.shape[0]
    sq = jnp.sum(z * z, axis=1, keepdims=True)  # (M, 1)
    u = z * jax.lax.rsqrt(jnp.maximum(sq, EPSILON))  # (M, D)
    s = 1.0 / temperature
    ub, mask = _blocks(u, b)
    lse = _row_lse(ub, mask, s).reshape(-1)[:m]  # (M,)
    s_pos = s * jnp.sum(u * jnp.roll(u, m // 2, axis=0), axis=1)  # (M,) s_{i, pos(i)}
    return jnp.mean(lse - s_pos), (u, sq, lse, temperature)


def _backward(b, residuals, g):
    u, sq, lse, temperature = residuals
    m = u.shape[0]
    s = 1.0 / temperature
    ub, _ = _blocks(u, b)
    k = ub.shape[0]
    # Padding rows get LSE = +inf, so P = exp(s - LSE) is 0 on their rows; on their columns
    # H is finite and multiplies u = 0.
    lse_b = jnp.pad(lse, (0, k * b - m), constant_values=jnp.inf).reshape(k, b)
    hu = _apply_h(ub, lse_b, s).reshape(-1, u.shape[1])[:m]  # (M, D) sum_j H_ij u_j
    d_u = (g * s / m) * (hu - 2.0 * jnp.roll(u, m // 2, axis=0))  # (M, D) dL/du
    u_dot = jnp.sum(d_u * u, axis=1, keepdims=True)  # (M, 1)
    d_s = jnp.sum(u_dot) / (2.0 * s)
    # u = z / |z| where |z|^2 > EPSILON; below it u = z / sqrt(EPSILON) is linear in z.
    d_z = (d_u - jnp.where(sq > EPSILON, u_dot, 0.0) * u) * jax.lax.rsqrt(jnp.maximum(sq, EPSILON))
    return d_z, -s * s * d_s


_nt_xent.defvjp(_forward, _backward)
_nt_xent_jit = jax.jit(_nt_xent, static_argnums=(0,))


def _blocks(u, b):
    """(M, D) -> (K, B, D) with zero padding rows, and the additive padding mask or None.

    Returns:
        ub: (K, B, D).
        mask: (K, B) float32, 0 on real rows and -inf on padding rows; None without padding.
    """
    m, d = u.shape
    k = -(-m // b)
    ub = jnp.pad(u, ((0, k * b - m), (0, 0))).reshape(k, b, d)
    if k * b == m:
        return ub, None
    mask = jnp.where(jnp.arange(k * b) < m, 0.0, -jnp.inf).reshape(k, b)
    return ub, mask


def _tile(u_rows, u_cols, s, mask_rows=None, mask_cols=None):
    """(K, B, D) x (K, B, D) -> (K, B, B) scaled similarities, padding masked by -inf."""
    t = s * jnp.einsum("kid,kjd->kij", u_rows, u_cols, precision=HIGHEST)
    if mask_rows is not None:
        t = t + mask_rows[:, :, None] + mask_cols[:, None, :]
    return t


def _merge(m, l, t, axis):
    """Online log-sum-exp: fold the tile `t` (K, B, B), reduced along `axis`, into (m, l)."""
    m_new = jnp.maximum(m, jnp.max(t, axis=axis))  # (K, B)
    e = jnp.exp(t - jnp.expand_dims(m_new, axis))
    return m_new, l * jnp.exp(m - m_new) + jnp.sum(e, axis=axis)


def _row_lse(ub, mask, s):
    """LSE_i = log sum_{j != i} exp(s u_i . u_j) for every row of `ub` (K, B, D) -> (K, B)."""
    k, b, _ = ub.shape
    masked = mask is not None
    # Every s_ij >= -s, so the running max starts finite and exp(m - m_new) never meets inf - inf.
    m = jnp.full((k, b), -s)
    l = jnp.zeros((k, b), jnp.float32)
    diag = jnp.where(jnp.eye(b, dtype=bool), -jnp.inf, 0.0)  # (B, B) s_ii excluded in the tile
    m, l = _merge(m, l, _tile(ub, ub, s, mask, mask) + diag, axis=2)

    def offset(o, carry):  # rows of block k meet columns of block k + o, and vice versa
        m, l, u_cols = carry
        u_cols = jnp.roll(u_cols, -1, axis=0)  # block k holds block k + o
        mask_cols = jnp.roll(mask, -o, axis=0) if masked else None
        t = _tile(ub, u_cols, s, mask, mask_cols)  # (K, B, B)
        m, l = _merge(m, l, t, axis=2)
        m_c, l_c = _merge(jnp.roll(m, -o, axis=0), jnp.roll(l, -o, axis=0), t, axis=1)
        return jnp.roll(m_c, o, axis=0), jnp.roll(l_c, o, axis=0), u_cols

    m, l, _ = jax.lax.fori_loop(1, (k + 1) // 2, offset, (m, l, ub))
    if k % 2 == 0 and k > 1:  # offset K/2 pairs block k with k + K/2 twice: take the first half
        h = k // 2
        ma, mc = (None, None) if not masked else (mask[:h], mask[h:])
        t = _tile(ub[:h], ub[h:], s, ma, mc)  # (K/2, B, B)
        m_a, l_a = _merge(m[:h], l[:h], t, axis=2)
        m_c, l_c = _merge(m[h:], l[h:], t, axis=1)
        m, l = jnp.concatenate([m_a, m_c]), jnp.concatenate([l_a, l_c])
    return m + jnp.log(l)


def _h(t, lse_rows, lse_cols):
    """H = P + P^T on a tile: P_ij = exp(s_ij - LSE_i), P_ji = exp(s_ij - LSE_j). (K, B, B)."""
    return jnp.exp(t - lse_rows[:, :, None]) + jnp.exp(t - lse_cols[:, None, :])


def _apply_h(ub, lse, s):
    """sum_j H_ij u_j for every row, recomputing the tiles offset by offset. (K, B, D)."""
    k, b, _ = ub.shape
    mm = functools.partial(jnp.einsum, precision=HIGHEST)
    diag = jnp.where(jnp.eye(b, dtype=bool), -jnp.inf, 0.0)
    hu = mm("kij,kjd->kid", _h(_tile(ub, ub, s) + diag, lse, lse), ub)

    def offset(o, carry):  # dU_I += H_IJ U_J and dU_J += H_IJ^T U_I from one tile
        hu, u_cols = carry
        u_cols = jnp.roll(u_cols, -1, axis=0)
        lse_cols = jnp.roll(lse, -o, axis=0)
        h = _h(_tile(ub, u_cols, s), lse, lse_cols)  # (K, B, B)
        hu_cols = mm("kij,kid->kjd", h, ub)  # belongs to block k + o
        return hu + mm("kij,kjd->kid", h, u_cols) + jnp.roll(hu_cols, o, axis=0), u_cols

    hu, _ = jax.lax.fori_loop(1, (k + 1) // 2, offset, (hu, ub))
    if k % 2 == 0 and k > 1:
        h2 = k // 2
        h = _h(_tile(ub[:h2], ub[h2:], s), lse[:h2], lse[h2:])  # (K/2, B, B)
        hu = hu + jnp.concatenate(
            [mm("kij,kjd->kid", h, ub[h2:]), mm("kij,kid->kjd", h, ub[:h2])]
        )
    return hu
