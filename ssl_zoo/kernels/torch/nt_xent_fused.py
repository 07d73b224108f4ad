"""Fused NT-Xent for PyTorch: upper-triangle tiles of bounded size, `autograd.Function`.

Rows are taken in blocks of `B`; block `I` meets the columns from its own first row on, in
chunks of `C` columns, so every unordered pair of rows is visited once and no tile holds more
than `B x C` floats whatever N is (`tiling.tile_shape`). A tile's row log-sum-exps fold into
its rows and its column log-sum-exps into its columns (`logaddexp`, exact for any
temperature); the block's own square is symmetric and folds into rows only. The backward
recomputes each tile and applies `H = P + P^T` to both sides. Only `u`, `|z|^2` and the per-row
LSE are kept for the backward.
"""

import torch

from ssl_zoo.kernels import tiling
from ssl_zoo.kernels.torch import normalization


def nt_xent_fused(z_a, z_b, temperature=0.5, block_size=None):
    """NT-Xent (SimCLR, Eq. 1) without the (2N, 2N) matrix; O(N D) memory for the backward.

    Args:
        z_a: float tensor (N, D), float32, bfloat16 or float16. Projections of the first views.
        z_b: float tensor (N, D). Projections of the second views.
        temperature: float > 0, or a scalar tensor (learnable; receives a gradient).
        block_size: int, rows per tile, or None for `tiling.tile_shape`'s default.

    Returns:
        Scalar float32 tensor; gradients reach `z_a`, `z_b` (in their dtype) and `temperature`.
    """
    z_a, z_b = torch.as_tensor(z_a), torch.as_tensor(z_b)
    tile = tiling.tile_shape(block_size, 2 * z_a.shape[0])
    z = torch.cat([z_a.float(), z_b.float()])  # (M, D), float32 accumulation
    t = torch.as_tensor(temperature, device=z.device).float().reshape(())
    return _NTXent.apply(z, t, tile)


class _NTXent(torch.autograd.Function):
    @staticmethod
    def forward(ctx, z, temperature, tile):
        m = z.shape[0]
        u, sq = normalization.normalize(z)  # (M, D), (M, 1)
        s = 1.0 / temperature
        lse = torch.full((m,), -float("inf"), device=z.device)
        for rows, cols, t in _tiles(u, s, tile):
            lse[rows] = torch.logaddexp(lse[rows], torch.logsumexp(t, dim=1))
            own = max(rows.stop - cols.start, 0)  # the tile's columns inside the row block
            if own < t.shape[1]:  # the block's own square is symmetric: rows cover it
                off = slice(cols.start + own, cols.stop)
                lse[off] = torch.logaddexp(lse[off], torch.logsumexp(t[:, own:], dim=0))
        s_pos = s * torch.sum(u * torch.roll(u, m // 2, dims=0), dim=1)  # (M,) s_{i, pos(i)}
        ctx.save_for_backward(u, sq, lse, temperature)
        ctx.tile = tile
        return torch.mean(lse - s_pos)

    @staticmethod
    def backward(ctx, g):
        u, sq, lse, temperature = ctx.saved_tensors
        m = u.shape[0]
        s = 1.0 / temperature
        hu = torch.zeros_like(u)  # sum_j H_ij u_j
        for rows, cols, t in _tiles(u, s, ctx.tile):
            own = max(rows.stop - cols.start, 0)  # the tile's columns inside the row block
            h = torch.exp(t - lse[rows, None])  # P_ij
            h += t.sub_(lse[None, cols]).exp_()  # + P_ji: H = P + P^T on the tile
            hu[rows] += h @ u[cols]
            if own < t.shape[1]:
                hu[cols.start + own : cols.stop] += h[:, own:].T @ u[rows]
        d_u = hu.sub_(2.0 * torch.roll(u, m // 2, dims=0)).mul_(g * s / m)  # (M, D) dL/du
        d_z, u_dot = normalization.backward_(d_u, u, sq)  # (M, D), (M, 1)
        d_s = torch.sum(u_dot) / (2.0 * s)
        return d_z, -s * s * d_s, None


def _tiles(u, s, tile):
    """Yield (rows, cols, s u_rows . u_cols^T) over the upper triangle, diagonal set to -inf."""
    m = u.shape[0]
    b, c = tile
    for i in range(0, m, b):
        rows = slice(i, min(i + b, m))
        us = u[rows] * s  # (b, D)
        for j in range(i, m, c):
            cols = slice(j, min(j + c, m))
            t = us @ u[cols].T  # (b, c)
            if j == i:
                t.diagonal().fill_(-float("inf"))
            yield rows, cols, t
