"""Value and gradient of a scalar function on the running Keras backend (tests only).

Framework imports are local: this helper serves the test suite and must not make
`ssl_zoo` import a framework it does not run on.
"""

import keras
import numpy as np


def value_and_grad(fn, *args, jit=False):
    """`fn(*args)` and its gradients with respect to every arg, as float64 NumPy.

    `jit=True` compiles value and gradients as one JAX program (one compilation, where an
    eager `keras.ops` function compiles each op for each new shape); other backends ignore it.
    """
    backend = keras.config.backend()
    if backend == "jax":
        import jax

        step = jax.value_and_grad(fn, argnums=tuple(range(len(args))))
        value, grads = (jax.jit(step) if jit else step)(*args)
    elif backend == "tensorflow":
        import tensorflow as tf

        args = [tf.Variable(a) for a in args]
        with tf.GradientTape() as tape:
            value = fn(*args)
        grads = tape.gradient(value, args)
    elif backend == "torch":
        import torch

        args = [
            a.detach().clone().requires_grad_() if isinstance(a, torch.Tensor)
            else torch.tensor(np.asarray(a), requires_grad=True)
            for a in args
        ]
        value = fn(*args)
        grads = torch.autograd.grad(value, args)
    else:
        raise ValueError(f"Unsupported backend: {backend}")
    to_np = lambda t: np.asarray(keras.ops.convert_to_numpy(keras.ops.cast(t, "float32")), np.float64)
    return to_np(value), [to_np(g) for g in grads]
