"""Fused NT-Xent for TensorFlow: the upper-triangle tiles of `kernels/triangle.py` in a
`tf.custom_gradient`.

The loops are `tf.while_loop`s, one iteration at a time, so graphs stay one tile big
under `tf.function` and XLA, and the row count may be unknown while tracing (Keras traces
`train_step` with a `None` batch size).
"""

import tensorflow as tf

from ssl_zoo.kernels import tiling
from ssl_zoo.kernels import triangle


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
    z = tf.concat([tf.cast(z_a, tf.float32), tf.cast(z_b, tf.float32)], axis=0)  # (M, D)
    t = tf.reshape(tf.cast(temperature, tf.float32), ())

    @tf.custom_gradient
    def loss(z, temperature):
        value, residuals = triangle.forward(z, temperature, tile, _fori_loop)
        return value, lambda g: triangle.backward(residuals, g, tile, _fori_loop)

    return loss(z, t)


def _fori_loop(lower, upper, body, init):
    """`keras.ops.fori_loop`, one iteration at a time, so one iteration's tiles are alive."""
    _, result = tf.while_loop(
        lambda i, _: i < upper,
        lambda i, carry: (i + 1, body(i, carry)),
        (tf.convert_to_tensor(lower), init),
        parallel_iterations=1,
    )
    return result
