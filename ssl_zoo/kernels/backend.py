"""The active Keras backend's kernel package, imported on first use."""

import importlib

import keras


def module():
    """`ssl_zoo.kernels.<backend>` for the running `KERAS_BACKEND`."""
    return importlib.import_module(f"ssl_zoo.kernels.{keras.config.backend()}")


def is_symbolic(x):
    """True while `x` is being traced (jit, tf.function, torch.compile), so has no value."""
    if isinstance(x, (int, float)):
        return False
    if isinstance(x, keras.KerasTensor):
        return True
    return module().is_symbolic(x)
