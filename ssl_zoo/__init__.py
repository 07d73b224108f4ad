"""ssl_zoo: self-supervised learning for Keras 3 on TensorFlow, JAX and PyTorch."""

from ssl_zoo import augmentations
from ssl_zoo import data
from ssl_zoo import backbones
from ssl_zoo import evaluation
from ssl_zoo import kernels
from ssl_zoo import layers
from ssl_zoo import losses
from ssl_zoo import models
from ssl_zoo.models.preset_io import builtin_presets as _builtin_presets

__version__ = "0.1.0"


def presets():
    """The built-in presets: a list of dicts with `name` and the metadata measured at build."""
    return [
        {"name": name, **entry.get("metadata", {})}
        for name, entry in sorted(_builtin_presets().items())
    ]
