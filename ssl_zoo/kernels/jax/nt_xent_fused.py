"""Fused NT-Xent for JAX: the upper-triangle tiles of `kernels/triangle.py` in a `jax.custom_vjp`.

The (2N, 2N) similarity matrix is never built: the forward keeps per-row log-sum-exps of
fixed-size tiles, the backward recomputes the tiles (docs/kernels.md). Products run at the
precision policy's JAX precision (`xla_tiles.py`: "highest" by default, TF32 opt-in). On GPUs
`ssl_zoo.kernels.nt_xent` runs the Pallas kernel instead (`nt_xent_pallas.py`).
"""

import jax.numpy as jnp

from ssl_zoo.kernels import precision
from ssl_zoo.kernels import tiling
from ssl_zoo.kernels import triangle
from ssl_zoo.kernels.jax import xla_tiles


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
    return _nt_xent_jit((tile, precision.matmul_precision()), z, t)


_nt_xent_jit = xla_tiles.custom_vjp(triangle.forward, triangle.backward)
