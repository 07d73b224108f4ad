"""Fused NT-Xent for JAX: the upper-triangle tiles of `kernels/triangle.py` in a `jax.custom_vjp`.

The (2N, 2N) similarity matrix is never built: the forward keeps per-row log-sum-exps of
fixed-size tiles, the backward recomputes the tiles (docs/kernels.md).
"""

import functools

import jax
import jax.numpy as jnp

from ssl_zoo.kernels import tiling
from ssl_zoo.kernels import triangle


def nt_xent_fused(z_a, z_b, temperature=0.5, block_size=None):
    """NT-Xent (SimCLR, Eq. 1) without the (2N, 2N) matrix; O(N D) memory for the backward.

    Args:
        z_a: float array (N, D), float32, bfloat16 or float16. Projections of the first views.
        z_b: float array (N, D). Projections of the second views.
        temperature: float > 0, or a scalar array (learnable; receives a gradient).
        block_size: int, rows per tile, or None for `tiling.tile_shape`'s default.

    Returns:
        Scalar float32 array; gradients reach `z_a`, `z_b` (in their dtype) and `temperature`.
    """
    tile = tiling.tile_shape(block_size, 2 * z_a.shape[0])
    z = jnp.concatenate([z_a.astype(jnp.float32), z_b.astype(jnp.float32)])  # (M, D)
    t = jnp.asarray(temperature).astype(jnp.float32).reshape(())
    return _nt_xent_jit(tile, z, t)


@functools.partial(jax.custom_vjp, nondiff_argnums=(0,))
def _nt_xent(tile, z, temperature):
    return _forward(tile, z, temperature)[0]


def _forward(tile, z, temperature):
    with jax.default_matmul_precision("highest"):  # no TF32 on GPUs: tests compare with float64
        return triangle.forward(z, temperature, tile)


def _backward(tile, residuals, g):
    with jax.default_matmul_precision("highest"):
        return triangle.backward(residuals, g, tile)


_nt_xent.defvjp(_forward, _backward)
_nt_xent_jit = jax.jit(_nt_xent, static_argnums=(0,))
