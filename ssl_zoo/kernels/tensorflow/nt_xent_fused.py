"""Fused NT-Xent for TensorFlow: the upper-triangle tiles of `kernels/triangle.py` as XLA
programs in a `tf.custom_gradient` (`xla_programs.py`).

The forward and the backward are each one XLA program; the concatenation and the casts stay
outside them.
"""

import tensorflow as tf

from ssl_zoo.kernels import tiling
from ssl_zoo.kernels import triangle
from ssl_zoo.kernels.tensorflow import xla_programs


def nt_xent_fused(z_a, z_b, temperature=0.5, block_size=None):
    """NT-Xent (SimCLR, Eq. 1) without the (2N, 2N) matrix; O(N D) memory for the backward.

    Args:
        z_a: float tensor (N, D), float32, bfloat16 or float16. Projections of the first views.
        z_b: float tensor (N, D). Projections of the second views.
        temperature: float > 0, or a scalar tensor/variable (learnable; receives a gradient).
        block_size: int, rows per tile, or None for `tiling.tile_shape`'s default.

    Returns:
        Scalar float32 tensor; gradients reach `z_a`, `z_b` (in their dtype) and `temperature`.
    """
    z_a, z_b = tf.convert_to_tensor(z_a), tf.convert_to_tensor(z_b)
    n = z_a.shape[0]
    tile = tiling.tile_shape(block_size, None if n is None else 2 * n)
    # The concatenation stays outside the XLA programs: inside, it raised the step's peak
    # memory (docs/decisions.md).
    z = tf.concat([tf.cast(z_a, tf.float32), tf.cast(z_b, tf.float32)], axis=0)  # (M, D)
    t = tf.reshape(tf.cast(temperature, tf.float32), ())
    return xla_programs.call(triangle.forward, triangle.backward, tile, z, t)
