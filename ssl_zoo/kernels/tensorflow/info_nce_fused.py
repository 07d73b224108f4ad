"""Fused InfoNCE for TensorFlow: the tiles of `kernels/info_nce_tiles.py` as XLA programs in a
`tf.custom_gradient` (`xla_programs.py`).

The forward and the backward are each one XLA program; the casts stay outside them.
"""

import tensorflow as tf

from ssl_zoo.kernels import info_nce_tiles
from ssl_zoo.kernels import tiling
from ssl_zoo.kernels.tensorflow import xla_programs


def info_nce_fused(
    queries, keys, negatives=None, temperature=0.2, block_size=None, batch_negatives=True
):
    """`ssl_zoo.kernels.info_nce` on TensorFlow tensors, without checks; O((N + K) D) memory.

    `block_size` as in `tiling.info_nce_tile_shape`, `batch_negatives` as in `info_nce` (a
    bool; each value is its own pair of XLA programs). The batch size may be unknown while
    tracing (`tf.function` with a `None` dimension). Gradients reach the three inputs, in their
    dtypes, and a tensor or variable `temperature`.
    """
    tile, *operands = tiling.info_nce_operands(
        tf.convert_to_tensor(queries), keys, negatives, block_size,
        lambda x: tf.cast(x, tf.float32), lambda d: tf.zeros((0, d), tf.float32),
    )
    t = tf.reshape(tf.cast(temperature, tf.float32), ())
    return xla_programs.call(*info_nce_tiles.pair(batch_negatives), tile, *operands, t)
