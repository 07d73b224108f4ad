"""NT-Xent on CUDA tensors with the Triton kernels of `triton_kernels.py`.

The loss is written in torch around one custom op, `ssl_zoo::nt_xent_lse` (v -> LSE, a
`torch.library.triton_op`), whose gradient `register_autograd` gives as a second one,
`ssl_zoo::nt_xent_apply_h`. `torch.compile` traces both ops into its graphs with their Triton
kernels (`wrap_triton`); autograd handles the rest (normalization, temperature, positives):

    v = sqrt(s) u,  u = normalize(concat(z_a, z_b)),  s = 1 / temperature
    loss = mean_i [ LSE_i(v) - v_i . v_pos(i) ]

Only `v` and LSE (O(M D)) are saved for the backward, which recomputes the tiles.
"""

import torch
import triton
from torch.library import triton_op
from torch.library import wrap_triton

from ssl_zoo.kernels import gpu_tiles
from ssl_zoo.kernels import precision as precision_policy
from ssl_zoo.kernels.torch import triton_kernels

EPSILON = 1e-12  # squared-norm floor, as in `reference.normalize_rows`


def interpreting():
    """True when Triton runs kernels in its CPU interpreter (`TRITON_INTERPRET=1` at import)."""
    return not isinstance(triton_kernels.lse_kernel, triton.runtime.JITFunction)


def nt_xent_triton(z_a, z_b, temperature=0.5, precision=None):
    """NT-Xent (SimCLR, Eq. 1) with the Triton kernels; O(N D) memory for the backward.

    Args:
        z_a: float tensor (N, D) on a CUDA device (any device under `TRITON_INTERPRET=1`),
            float32, bfloat16 or float16, D <= `gpu_tiles.MAX_WIDTH`.
        z_b: float tensor (N, D) on the same device.
        temperature: float > 0, or a scalar tensor (learnable; receives a gradient).
        precision: "highest", "tf32", or None for `ssl_zoo.kernels.matmul_precision()`.

    Returns:
        Scalar float32 tensor; gradients reach `z_a`, `z_b` (in their dtype) and `temperature`.
    """
    precision = precision or precision_policy.matmul_precision()
    z = torch.cat([z_a.float(), z_b.float()])  # (M, D), float32 accumulation
    t = torch.as_tensor(temperature, device=z.device).float().reshape(())
    sq = torch.sum(z * z, dim=1, keepdim=True)  # (M, 1)
    v = z * torch.rsqrt(torch.clamp_min(sq, EPSILON) * t)  # sqrt(s) u: S_ij = v_i . v_j
    lse = nt_xent_lse(v.contiguous(), precision)  # (M,)
    s_pos = torch.sum(v * torch.roll(v, z_a.shape[0], dims=0), dim=1)  # (M,) s_{i, pos(i)}
    return torch.mean(lse - s_pos)


@triton_op("ssl_zoo::nt_xent_lse", mutates_args=())
def nt_xent_lse(v: torch.Tensor, precision: str) -> torch.Tensor:
    """LSE_i = log sum_{j != i} exp(v_i . v_j) of contiguous float32 `v` (M, D); (M,)."""
    m, d = v.shape
    tile = gpu_tiles.gpu_tile(d, precision)
    lse = torch.empty((m,), device=v.device, dtype=torch.float32)
    _launch(triton_kernels.lse_kernel, tile, tile.forward, precision, v, lse, m, d, v.stride(0))
    return lse


@triton_op("ssl_zoo::nt_xent_apply_h", mutates_args=())
def nt_xent_apply_h(v: torch.Tensor, lse: torch.Tensor, g: torch.Tensor, precision: str) -> torch.Tensor:
    """sum_j (g_i P_ij + g_j P_ji) v_j (M, D): the gradient of sum_i g_i LSE_i by `v`."""
    m, d = v.shape
    tile = gpu_tiles.gpu_tile(d, precision)
    out = torch.empty_like(v)
    _launch(triton_kernels.apply_h_kernel, tile, tile.backward, precision, v, lse, g, out, m, d, v.stride(0))
    return out


def _launch(kernel, tile, launch, precision, *args):
    """Run `kernel` over row blocks of `launch.block_m` with `tile`'s constants."""
    m = args[-3]
    wrap_triton(kernel)[(triton.cdiv(m, launch.block_m),)](
        *args, BLOCK_M=launch.block_m, BLOCK_N=launch.block_n, BLOCK_D=tile.width,
        BLOCK_K=tile.block_k, PRECISION=triton_kernels.TRITON_PRECISION[precision],
        num_warps=launch.warps, num_stages=launch.stages,
    )


def _setup_context(ctx, inputs, output):
    v, precision = inputs
    ctx.save_for_backward(v, output)
    ctx.precision = precision


def _backward(ctx, g):
    v, lse = ctx.saved_tensors
    return nt_xent_apply_h(v, lse, g.contiguous(), ctx.precision), None


nt_xent_lse.register_autograd(_backward, setup_context=_setup_context)
