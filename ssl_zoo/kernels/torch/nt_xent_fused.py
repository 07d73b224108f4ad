"""Fused NT-Xent for PyTorch: block-offset tiling, online log-sum-exp, `autograd.Function`.

The same scheme as `ssl_zoo/kernels/jax/nt_xent_fused.py` (KERNEL_NOTES.md, "offsets"): `u`
is split into `K` blocks of `B` rows, `(K, B, D)`; offset `o` pairs block `k` with block
`(k + o) mod K` in one `torch.bmm`, so `K / 2 + 1` batched products visit every unordered tile
pair once. Only `u`, `|z|^2` and the per-row LSE are kept for the backward.
"""

import torch

from ssl_zoo.kernels import tiling

EPSILON = 1e-12  # squared-norm floor, as in `reference.normalize_rows`


def nt_xent_fused(z_a, z_b, temperature=0.5, block_size=None):
    """NT-Xent (SimCLR, Eq. 1) without the (2N, 2N) matrix; O(N D) memory for the backward.

    Args:
        z_a: float tensor (N, D), float32, bfloat16 or float16. Projections of the first views.
        z_b: float tensor (N, D). Projections of the second views.
        temperature: float > 0, or a scalar tensor (learnable; receives a gradient).
        block_size: int, rows per tile, or None for `tiling.choose_block_size`'s default.

    Returns:
        Scalar float32 tensor; gradients reach `z_a`, `z_b` (in their dtype) and `temperature`.
    """
    z_a, z_b = torch.as_tensor(z_a), torch.as_tensor(z_b)
    m = 2 * z_a.shape[0]
    b, _ = tiling.choose_block_size(m, block_size)
    z = torch.cat([z_a.float(), z_b.float()])  # (M, D), float32 accumulation
    t = torch.as_tensor(temperature, device=z.device).float().reshape(())
    return _NTXent.apply(z, t, b)


class _NTXent(torch.autograd.Function):
    @staticmethod
    def forward(ctx, z, temperature, b):
        m = z.shape[0]
        sq = torch.sum(z * z, dim=1, keepdim=True)  # (M, 1)
        u = z * torch.rsqrt(torch.clamp_min(sq, EPSILON))  # (M, D)
        s = 1.0 / temperature
        ub, mask = _blocks(u, b)
        lse = _row_lse(ub, mask, s).reshape(-1)[:m]  # (M,)
        s_pos = s * torch.sum(u * torch.roll(u, m // 2, dims=0), dim=1)  # (M,) s_{i, pos(i)}
        ctx.save_for_backward(u, sq, lse, temperature)
        ctx.b = b
        return torch.mean(lse - s_pos)

    @staticmethod
    def backward(ctx, g):
        u, sq, lse, temperature = ctx.saved_tensors
        m, d = u.shape
        s = 1.0 / temperature
        ub, _ = _blocks(u, ctx.b)
        k, b = ub.shape[:2]
        # Padding rows get LSE = +inf: P = exp(s - LSE) is 0 on their rows, and on their
        # columns H multiplies u = 0.
        lse_b = torch.nn.functional.pad(lse, (0, k * b - m), value=float("inf")).reshape(k, b)
        hu = _apply_h(ub, lse_b, s).reshape(-1, d)[:m]  # (M, D) sum_j H_ij u_j
        d_u = (g * s / m) * (hu - 2.0 * torch.roll(u, m // 2, dims=0))  # (M, D) dL/du
        u_dot = torch.sum(d_u * u, dim=1, keepdim=True)  # (M, 1)
        d_s = torch.sum(u_dot) / (2.0 * s)
        # u = z / |z| where |z|^2 > EPSILON; below it u = z / sqrt(EPSILON) is linear in z.
        radial = torch.where(sq > EPSILON, u_dot, torch.zeros_like(u_dot)) * u
        d_z = (d_u - radial) * torch.rsqrt(torch.clamp_min(sq, EPSILON))
        return d_z, -s * s * d_s, None


def _blocks(u, b):
    """(M, D) -> (K, B, D) with zero padding rows, and the (K, B) additive mask or None."""
    m, d = u.shape
    k = -(-m // b)
    ub = torch.nn.functional.pad(u, (0, 0, 0, k * b - m)).reshape(k, b, d)
    if k * b == m:
        return ub, None
    mask = torch.zeros(k * b, device=u.device)
    mask[m:] = -float("inf")
    return ub, mask.reshape(k, b)


def _tile(us_rows, u_cols, mask_rows=None, mask_cols=None):
    """(K, B, D) x (K, B, D) -> (K, B, B) similarities; rows come pre-scaled by s = 1/t."""
    t = torch.bmm(us_rows, u_cols.transpose(1, 2))
    if mask_rows is not None:
        t += mask_rows[:, :, None] + mask_cols[:, None, :]
    return t


def _diagonal_mask(b, device):
    """(B, B): -inf on the diagonal, so s_ii is excluded inside the offset-0 tiles."""
    return torch.diag(torch.full((b,), -float("inf"), device=device))


def _row_lse(ub, mask, s):
    """LSE_i = log sum_{j != i} exp(s u_i . u_j) for every row of `ub` (K, B, D) -> (K, B).

    Each tile's row and column log-sum-exps are folded into running values with
    `logaddexp`, the online form that stays exact for any temperature.
    """
    k, b, _ = ub.shape
    us = ub * s  # (K, B, D): scaling the rows once spares a pass over every (K, B, B) tile
    t = _tile(us, ub, mask, mask)
    t += _diagonal_mask(b, ub.device)
    lse = torch.logsumexp(t, dim=2)  # (K, B)
    u_cols = ub
    for o in range(1, (k + 1) // 2):  # rows of block k meet columns of block k + o
        u_cols = torch.roll(u_cols, -1, dims=0)
        mask_cols = None if mask is None else torch.roll(mask, -o, dims=0)
        t = _tile(us, u_cols, mask, mask_cols)  # (K, B, B)
        lse = torch.logaddexp(lse, torch.logsumexp(t, dim=2))
        lse = torch.logaddexp(lse, torch.roll(torch.logsumexp(t, dim=1), o, dims=0))
    if k % 2 == 0 and k > 1:  # offset K/2 pairs block k with k + K/2 twice: take the first half
        h = k // 2
        ma, mc = (None, None) if mask is None else (mask[:h], mask[h:])
        t = _tile(us[:h], ub[h:], ma, mc)  # (K/2, B, B)
        lse = lse + 0.0  # a fresh tensor for the two halves' updates
        lse[:h] = torch.logaddexp(lse[:h], torch.logsumexp(t, dim=2))
        lse[h:] = torch.logaddexp(lse[h:], torch.logsumexp(t, dim=1))
    return lse


def _h(t, lse_rows, lse_cols):
    """H = P + P^T on a tile: P_ij = exp(s_ij - LSE_i), P_ji = exp(s_ij - LSE_j). (K, B, B).

    Overwrites `t` (a fresh tile) to keep one (K, B, B) buffer alive beside the result.
    """
    h = torch.exp(t - lse_rows[:, :, None])
    return h.add_(t.sub_(lse_cols[:, None, :]).exp_())


def _apply_h(ub, lse, s):
    """sum_j H_ij u_j for every row, recomputing the tiles offset by offset. (K, B, D)."""
    k, b, _ = ub.shape
    us = ub * s  # (K, B, D)
    t = _tile(us, ub)
    t += _diagonal_mask(b, ub.device)
    hu = torch.bmm(_h(t, lse, lse), ub)
    u_cols = ub
    for o in range(1, (k + 1) // 2):  # dU_I += H_IJ U_J and dU_J += H_IJ^T U_I from one tile
        u_cols = torch.roll(u_cols, -1, dims=0)
        h = _h(_tile(us, u_cols), lse, torch.roll(lse, -o, dims=0))  # (K, B, B)
        hu += torch.bmm(h, u_cols)
        hu += torch.roll(torch.bmm(h.transpose(1, 2), ub), o, dims=0)
    if k % 2 == 0 and k > 1:
        h2 = k // 2
        h = _h(_tile(us[:h2], ub[h2:]), lse[:h2], lse[h2:])  # (K/2, B, B)
        hu += torch.cat([torch.bmm(h, ub[h2:]), torch.bmm(h.transpose(1, 2), ub[:h2])])
    return hu
