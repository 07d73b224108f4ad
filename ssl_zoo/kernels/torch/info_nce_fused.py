"""Fused InfoNCE for PyTorch: tiles of bounded size in a `torch.autograd.Function`.

The columns of the logits (the keys, then the negatives) are taken in chunks of `C` rows,
normalized chunk by chunk; each chunk meets the queries in blocks of `B` rows, one `(B, C)` tile
at a time (`tiling.info_nce_tile_shape`, 1024 x 2048 by default), so the (N, N + K) logits never
exist. The forward folds each tile's row log-sum-exps into the queries' (`logaddexp`, exact for
any temperature); the backward recomputes each tile, applies its softmax to both sides and sends
a chunk's gradient through its normalization before the next chunk. Only the queries' unit rows
and LSE are kept for the backward; the inputs are read in place. With `batch_negatives=False`
the keys are no columns: each query's LSE starts at its positive's logit, and the positive's
softmax and gradient are row-wise.
"""

import torch

from ssl_zoo.kernels import tiling
from ssl_zoo.kernels.torch import normalization

# Tiles of 1024 x 2048 (8 MiB of float32): large enough that torch's fixed cost per op
# (dispatch, an OpenMP region on CPUs) does not dominate (docs/decisions.md, "torch's InfoNCE
# tiles").
TILE_ROWS = 1024
TILE_FLOATS = 2**21


def info_nce_fused(
    queries, keys, negatives=None, temperature=0.2, block_size=None, batch_negatives=True
):
    """`ssl_zoo.kernels.info_nce` on torch tensors, without checks; O((N + K) D) memory.

    `block_size` as in `tiling.info_nce_tile_shape`, `batch_negatives` as in `info_nce`. Inputs
    on any device; gradients reach the three inputs, in their dtypes, and a tensor
    `temperature`.
    """
    queries = torch.as_tensor(queries)
    tile, *operands = tiling.info_nce_operands(
        queries, keys, negatives, block_size,
        lambda x: torch.as_tensor(x).float(), lambda d: queries.new_zeros((0, d)).float(),
        rows=TILE_ROWS, floats=TILE_FLOATS,
    )
    t = torch.as_tensor(temperature, device=queries.device).float().reshape(())
    return _InfoNCE.apply(*operands, t, tile, batch_negatives)


class _InfoNCE(torch.autograd.Function):
    @staticmethod
    def forward(ctx, queries, keys, negatives, temperature, tile, batch_negatives):
        u_q, sq_q = normalization.normalize(queries)  # (N, D), (N, 1)
        s = 1.0 / temperature
        us = u_q * s
        s_pos = s * torch.sum(u_q * normalization.normalize(keys)[0], dim=1)  # (N,)
        if batch_negatives:
            columns, lse = (keys, negatives), torch.full_like(s_pos, -float("inf"))
        else:  # the positive is the first logit and the batch's other keys are no columns
            columns, lse = (negatives,), s_pos.clone()
        for x in columns:
            for _, u_c, _ in _chunks(x, tile[1]):
                for rows, t in _tiles(us, u_c, tile[0]):
                    lse[rows] = torch.logaddexp(lse[rows], torch.logsumexp(t, dim=1))
        ctx.save_for_backward(queries, keys, negatives, u_q, sq_q, lse, temperature)
        ctx.tile, ctx.batch_negatives = tile, batch_negatives
        return torch.mean(lse - s_pos)

    @staticmethod
    def backward(ctx, g):
        queries, keys, negatives, u_q, sq_q, lse, temperature = ctx.saved_tensors
        s = 1.0 / temperature
        scale = g * s / len(u_q)
        us = u_q * s
        u_k, sq_k = normalization.normalize(keys)
        if ctx.batch_negatives:
            d_uq, grads, columns = torch.zeros_like(u_q), [], ((keys, u_q), (negatives, None))
        else:  # the positive's softmax p_pos = exp(s_pos - lse), row-wise
            p_pos = torch.exp(s * torch.sum(u_q * u_k, dim=1, keepdim=True) - lse[:, None])
            d_k = normalization.backward_(scale * (p_pos - 1) * u_q, u_k, sq_k)[0]
            d_uq, grads, columns = p_pos * u_k, [d_k], ((negatives, None),)
        for x, positives in columns:  # d_uq += sum_c P_ic u_c
            d_x = torch.empty_like(x)
            for cols, u_c, sq_c in _chunks(x, ctx.tile[1]):
                pu = torch.zeros_like(u_c)  # (W, D) sum_i P_ic u_q_i
                for rows, t in _tiles(us, u_c, ctx.tile[0]):
                    p = t.sub_(lse[rows, None]).exp_()  # (B, W) P_ic
                    d_uq[rows] += p @ u_c
                    pu.addmm_(p.T, u_q[rows])
                if positives is not None:
                    pu -= positives[cols]  # the keys' own queries
                d_x[cols] = normalization.backward_(pu.mul_(scale), u_c, sq_c)[0]
            grads.append(d_x)
        d_uq = d_uq.sub_(u_k).mul_(scale)  # (N, D) dL/du_q
        d_q, u_dot = normalization.backward_(d_uq, u_q, sq_q)
        d_t = -s * torch.sum(u_dot)  # dL/ds = sum(u_dot) / s; dL/dtemperature = -s^2 dL/ds
        return d_q, grads[0], grads[1], d_t, None, None


def _chunks(x, c):
    """Yield (cols, u, |x|^2) over chunks of `c` rows of `x`, normalized."""
    for j in range(0, len(x), c):
        cols = slice(j, min(j + c, len(x)))
        yield (cols, *normalization.normalize(x[cols]))


def _tiles(us, u_c, b):
    """Yield (rows, s u_q_rows . u_c^T) over the blocks of `b` query rows."""
    for i in range(0, len(us), b):
        rows = slice(i, min(i + b, len(us)))
        yield rows, us[rows] @ u_c.T
