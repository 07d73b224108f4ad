"""A matmul with an explicit XLA precision, for the XLA-compiled NT-Xent tiles.

`tf.matmul` leaves the precision to TensorFlow's global TF32 switch
(`tf.config.experimental.enable_tensor_float_32_execution`, on by default), so on an Ampere
or later GPU its float32 products would round to TF32 while JAX's path pins "highest". This
dot states the policy's precision in the HLO itself (`operand_precision={highest,highest}`),
whatever the switch. It is an XLA op: it runs only inside `jit_compile=True` programs, which
is where `kernels/triangle.py` runs on TensorFlow.
"""

import tensorflow as tf
from tensorflow.compiler.tf2xla.python import xla
from tensorflow.compiler.xla import xla_data_pb2

_PRECISION = xla_data_pb2.PrecisionConfig
# "tf32": XLA's DEFAULT, which runs TF32 products on GPUs while TensorFlow's switch is on.
XLA_PRECISION = {"highest": _PRECISION.HIGHEST, "tf32": _PRECISION.DEFAULT}
_MATMUL = xla_data_pb2.DotDimensionNumbers(
    lhs_contracting_dimensions=[1], rhs_contracting_dimensions=[0]
)


def matmul(precision):
    """`f(a, b) = a @ b` for 2-D float32 tensors at `precision` ("highest" or "tf32")."""
    config = _PRECISION(operand_precision=[XLA_PRECISION[precision]] * 2)

    def f(a, b):
        return xla.dot_general(a, b, _MATMUL, config, preferred_element_type=tf.float32, use_v2=True)

    return f
