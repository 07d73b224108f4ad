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
    """Import Keras and keras-hub, and TensorFlow where installed (keras-hub loads it).

    On a machine without CUDA, TensorFlow's libraries print "Could not find cuda drivers" and
    an absl warning before any Python logging applies; those lines are dropped here. An
    import that fails still raises, with its Python traceback on the restored stderr.
    Call it after a command's arguments are checked, before its work.
    """
    with _stderr_silenced():
        if importlib.util.find_spec("tensorflow") is not None:
            import tensorflow  # noqa: F401
        import keras  # noqa: F401
        import keras_hub  # noqa: F401
