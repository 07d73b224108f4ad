"""A tiled `keras.ops` forward and backward pair as two XLA programs in a `tf.custom_gradient`.

The fused NT-Xent (`kernels/triangle.py`) and InfoNCE (`kernels/info_nce_tiles.py`) kernels are
written as `forward(*args, tile, matmul) -> (loss, residuals)` and `backward(args, residuals, g,
tile, matmul) -> gradients of args` (the forward's inputs are passed to the backward program
again, not returned by the forward's, which would copy them). Each is compiled as one XLA
program (`tf.function(jit_compile=True)`), inside a plain `tf.function`, under an outer
`jit_compile=True` and eagerly alike: XLA fuses a tile's masks, exponentials and reductions into
a few passes and updates the accumulators in place, where TensorFlow's graph executor would run
one kernel per op and copy. XLA compiles once per input shape; a `None` batch size while tracing
is fine. Their products state the precision policy's XLA precision (`xla_matmul.py`; "highest"
by default), so TensorFlow's global TF32 switch does not decide it on GPUs.
"""

import functools

import tensorflow as tf

from ssl_zoo.kernels import precision
from ssl_zoo.kernels.tensorflow import xla_matmul


def call(forward, backward, tile, *args):
    """`forward`'s loss on the float32 tensors `args`, with `backward` as its gradient."""
    compiled_forward, compiled_backward = _programs(
        forward, backward, tile, precision.matmul_precision()
    )

    @tf.custom_gradient
    def loss(*args):
        # A tape watching the inputs of a `tf.function` call builds that call's own backward,
        # and XLA's in-place updates have none: this op's gradient is the one below.
        args = [tf.stop_gradient(a) for a in args]
        value, residuals = compiled_forward(*args)
        return value, lambda g: compiled_backward(args, residuals, g)

    return loss(*args)


@functools.lru_cache(maxsize=None)
def _programs(forward, backward, tile, matmul_precision):
    """The XLA-compiled forward and backward for one tile shape and matmul precision (traced
    once per input shape)."""
    matmul = xla_matmul.matmul(matmul_precision)
    compiled_forward = tf.function(lambda *args: forward(*args, tile, matmul), jit_compile=True)
    compiled_backward = tf.function(
        lambda a, r, g: backward(a, r, g, tile, matmul), jit_compile=True
    )
    return compiled_forward, compiled_backward
