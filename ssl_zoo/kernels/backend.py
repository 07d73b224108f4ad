"""The active Keras backend's kernel package, imported on first use."""

import importlib
import importlib.util

import keras


def module():
    """`ssl_zoo.kernels.<backend>` for the running `KERAS_BACKEND`."""
    return importlib.import_module(f"ssl_zoo.kernels.{keras.config.backend()}")


def gpu_module():
    """`ssl_zoo.kernels.<backend>.gpu`, the backend's GPU kernel (Pallas, Triton), or None.

    It has `NAME`, `FUSED_PATH` (what `implementation="fused"` runs where the kernel can't),
    `unavailable(z_a, explicit)` (why the kernel can't take `z_a` here, or None) and
    `nt_xent(z_a, z_b, temperature)`.
    """
    name = f"ssl_zoo.kernels.{keras.config.backend()}.gpu"
    return importlib.import_module(name) if importlib.util.find_spec(name) else None


def is_symbolic(x):
    """True while `x` is being traced (jit, tf.function, torch.compile), so has no value."""
    if isinstance(x, (int, float)):
        return False
    if isinstance(x, keras.KerasTensor):
        return True
    return module().is_symbolic(x)


def fused(name, implementation):
    """The backend's fused kernel `name` (e.g. "nt_xent_fused"), or None where it has none.

    Raises:
        ValueError: for `implementation="fused"` where the backend has none.
    """
    kernel = getattr(module(), name, None)
    if implementation == "fused" and kernel is None:
        raise ValueError(
            "implementation='fused' is not available on this backend yet. "
            "Use implementation=None or 'reference'."
        )
    return kernel
