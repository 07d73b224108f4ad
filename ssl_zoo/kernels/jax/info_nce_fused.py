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


def info_nce_fused(queries, keys, negatives=None, temperature=0.2, block_size=None):
    """InfoNCE of each query against its key, over all keys and `negatives`; O((N + K) D) memory.

    Args:
        queries: float array (N, D), float32, bfloat16 or float16.
        keys: float array (N, D); key i is query i's positive.
        negatives: float array (K, D), or None for none.
        temperature: float > 0, or a scalar array (learnable; receives a gradient).
        block_size: int, query rows per tile; a pair (rows, columns); or None for
            `tiling.info_nce_tile_shape`'s default.

    Returns:
        Scalar float32 array; gradients reach the three inputs (in their dtypes) and
        `temperature`.
    """
    queries, keys = jnp.asarray(queries), jnp.asarray(keys)
    tile = tiling.info_nce_tile_shape(block_size, queries.shape[0])
    if negatives is None:
        negatives = jnp.zeros((0, queries.shape[1]), jnp.float32)
    q, k, neg = (jnp.asarray(x).astype(jnp.float32) for x in (queries, keys, negatives))
    t = jnp.asarray(temperature).astype(jnp.float32).reshape(())
    return _info_nce_jit((tile, precision.matmul_precision()), q, k, neg, t)


_info_nce_jit = xla_tiles.custom_vjp(info_nce_tiles.forward, info_nce_tiles.backward)
