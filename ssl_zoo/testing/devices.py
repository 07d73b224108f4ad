"""What accelerator the running backend sees, for tests that differ with and without one."""

import keras


def has_gpu():
    """Whether the Keras backend's framework sees a GPU."""
    backend = keras.config.backend()
    if backend == "jax":
        import jax

        return jax.default_backend() == "gpu"
    if backend == "torch":
        import torch

        return torch.cuda.is_available()
    import tensorflow as tf

    return bool(tf.config.list_physical_devices("GPU"))
