"""TensorFlow quarters of the NT-Xent and InfoNCE kernels."""

import tensorflow as tf

from ssl_zoo.kernels.tensorflow.info_nce_fused import info_nce_fused
from ssl_zoo.kernels.tensorflow.nt_xent_fused import nt_xent_fused


def is_symbolic(x):
    if not tf.executing_eagerly():
        return True
    return tf.is_tensor(x) and not hasattr(x, "numpy")
