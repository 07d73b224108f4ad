"""Fused NT-Xent for TensorFlow: the upper-triangle tiles of `kernels/triangle.py` in a
`tf.custom_gradient`.

The forward and the backward are each one XLA program (`tf.function(jit_compile=True)`),
inside a plain `tf.function`, under an outer `jit_compile=True` and eagerly alike: XLA fuses
a tile's masks, exponentials and reductions into a few passes and updates the O(M D)
accumulators in place, where TensorFlow's graph executor would run one kernel per op and
copy. XLA compiles once per input shape; a `None` batch size while tracing is fine. Their
products state the precision policy's XLA precision (`xla_matmul.py`; "highest" by default),
so TensorFlow's global TF32 switch does not decide it on GPUs.
"""

import functools

import tensorflow as tf

from ssl_zoo.kernels import precision
from ssl_zoo.kernels import tiling
from ssl_zoo.kernels import triangle
from ssl_zoo.kernels.tensorflow import xla_matmul


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
    forward, backward = _programs(tile, precision.matmul_precision())
    # The concatenation stays outside the XLA programs: inside, it raised the step's peak
    # memory (docs/decisions.md).
    z = tf.concat([tf.cast(z_a, tf.float32), tf.cast(z_b, tf.float32)], axis=0)  # (M, D)
    t = tf.reshape(tf.cast(temperature, tf.float32), ())

    @tf.custom_gradient
    def loss(z, temperature):
        # A tape watching the inputs of a `tf.function` call builds that call's own backward,
        # and XLA's in-place updates have none: this op's gradient is the one below.
        value, residuals = forward(tf.stop_gradient(z), tf.stop_gradient(temperature))
        return value, lambda g: backward(residuals, g)

    return loss(z, t)


@functools.lru_cache(maxsize=None)
def _programs(tile, matmul_precision):
    """The XLA-compiled forward and backward for one tile shape and matmul precision (traced
    once per input shape)."""
    matmul = xla_matmul.matmul(matmul_precision)
    forward = tf.function(lambda z, t: triangle.forward(z, t, tile, matmul), jit_compile=True)
    backward = tf.function(lambda r, g: triangle.backward(r, g, tile, matmul), jit_compile=True)
    return forward, backward
