"""Import the frameworks once, with their C++ libraries' start-up lines kept off the terminal."""

import contextlib
import importlib.util
import os
import sys


@contextlib.contextmanager
def _stderr_silenced():
    """Point file descriptor 2 at /dev/null: C++ logging (absl, CUDA stubs) writes there."""
    sys.stderr.flush()
    saved, devnull = os.dup(2), os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    try:
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


def load():
    """Import Keras (with its backend's framework), then TensorFlow where installed and
    keras-hub.

    On a machine without CUDA, TensorFlow's libraries print "Could not find cuda drivers", an
    absl warning and, when they look for devices, "failed call to cuInit" before any Python
    logging applies; those lines are dropped here. An
    import that fails still raises, with its Python traceback on the restored stderr.
    Call it after a command's arguments are checked, before its work.

    Keras comes first: on the torch backend it loads Triton (through `torch._dynamo`) where
    Triton is installed, as with every CUDA build of torch, and loading Triton after
    TensorFlow crashes the process (docs/decisions.md, "Import order: Triton before
    TensorFlow").
    """
    with _stderr_silenced():
        import keras  # noqa: F401

        if importlib.util.find_spec("tensorflow") is not None:
            import tensorflow

            # Finding the devices starts CUDA, which logs "failed call to cuInit" where
            # there is no GPU: done here, on the silenced stderr, not at the first op.
            tensorflow.config.list_physical_devices()
        import keras_hub  # noqa: F401
