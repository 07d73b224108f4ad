"""Fused InfoNCE for JAX: the tiles of `kernels/info_nce_tiles.py` in a `jax.custom_vjp`.

The (N, N + K) logits are never built: the forward keeps a per-query log-sum-exp over column
tiles, the backward recomputes the tiles (docs/kernels.md). Products run at the precision
policy's JAX precision (`xla_tiles.py`: "highest" by default, TF32 opt-in).
"""

import jax.numpy as jnp

from ssl_zoo.kernels import info_nce_tiles
from ssl_zoo.kernels import precision
from ssl_zoo.kernels import tiling
from ssl_zoo.kernels.jax import xla_tiles


def info_nce_fused(
    queries, keys, negatives=None, temperature=0.2, block_size=None, batch_negatives=True
):
    """`ssl_zoo.kernels.info_nce` on JAX arrays, without checks; O((N + K) D) memory.

    `block_size`: query rows per tile, a pair (rows, columns), or None
    (`tiling.info_nce_tile_shape`). `batch_negatives` as in `info_nce` (a bool; each value is
    its own compiled program). Gradients reach the three inputs, in their dtypes, and a
    scalar-array `temperature`.
    """
    tile, *operands = tiling.info_nce_operands(
        jnp.asarray(queries), keys, negatives, block_size,
        lambda x: jnp.asarray(x).astype(jnp.float32), lambda d: jnp.zeros((0, d), jnp.float32),
    )
    t = jnp.asarray(temperature).astype(jnp.float32).reshape(())
    return _INFO_NCE_JIT[batch_negatives]((tile, precision.matmul_precision()), *operands, t)


_INFO_NCE_JIT = {
    batch_negatives: xla_tiles.custom_vjp(*info_nce_tiles.pair(batch_negatives))
    for batch_negatives in (True, False)
}
