"""Fused InfoNCE for TensorFlow: the tiles of `kernels/info_nce_tiles.py` as XLA programs in a
`tf.custom_gradient` (`xla_programs.py`).

The forward and the backward are each one XLA program; the casts stay outside them.
"""

import tensorflow as tf

from ssl_zoo.kernels import info_nce_tiles
from ssl_zoo.kernels import tiling
from ssl_zoo.kernels.tensorflow import xla_programs


def info_nce_fused(queries, keys, negatives=None, temperature=0.2, block_size=None):
    """InfoNCE of each query against its key, over all keys and `negatives`; O((N + K) D) memory.

    Args:
        queries: float tensor (N, D), float32, bfloat16 or float16.
        keys: float tensor (N, D); key i is query i's positive.
        negatives: float tensor (K, D), or None for none.
        temperature: float > 0, or a scalar tensor/variable (learnable; receives a gradient).
        block_size: int, query rows per tile; a pair (rows, columns); or None for
            `tiling.info_nce_tile_shape`'s default.

    Returns:
        Scalar float32 tensor; gradients reach the three inputs (in their dtypes) and
        `temperature`.
    """
    queries, keys = tf.convert_to_tensor(queries), tf.convert_to_tensor(keys)
    tile = tiling.info_nce_tile_shape(block_size, queries.shape[0])
    if negatives is None:
        negatives = tf.zeros((0, queries.shape[1]), tf.float32)
    q, k, neg = (tf.cast(x, tf.float32) for x in (queries, keys, negatives))
    t = tf.reshape(tf.cast(temperature, tf.float32), ())
    return xla_programs.call(info_nce_tiles.forward, info_nce_tiles.backward, tile, q, k, neg, t)
