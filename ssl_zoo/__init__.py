"""ssl_zoo: self-supervised learning for Keras 3 on TensorFlow, JAX and PyTorch."""

import importlib

# Submodules load on first use, so `ssl-zoo --backend B` can choose the backend before Keras
# is imported (importing Keras fixes it).
_SUBMODULES = (
    "augmentations", "backbones", "callbacks", "data", "distribution", "evaluation", "files", "kernels", "layers",
    "losses", "methods", "models",
)

__version__ = "0.1.0"


def presets():
    """The built-in presets: a list of dicts with `name` and the metadata measured at build."""
    from ssl_zoo import preset_catalog

    return [
        {"name": name, **entry.get("metadata", {})}
        for name, entry in sorted(preset_catalog.builtin_presets().items())
    ]


def __getattr__(name):
    if name in _SUBMODULES:
        return importlib.import_module(f"ssl_zoo.{name}")
    raise AttributeError(f"module 'ssl_zoo' has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + list(_SUBMODULES))
