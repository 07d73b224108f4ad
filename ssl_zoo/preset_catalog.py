"""The built-in presets, listed without importing Keras or any model.

Each method folder declares its presets in its registry entry (`ssl_zoo.methods`), which is
read without Keras, so `ssl-zoo presets` answers before Keras, keras-hub and TensorFlow
would be imported.
"""

import json
import os

from ssl_zoo import methods

_PACKAGE = os.path.dirname(os.path.abspath(__file__))


def builtin_dir():
    """Where the built-in preset folders live: inside an installed wheel, else the checkout."""
    installed = os.path.join(_PACKAGE, "_presets")
    return installed if os.path.isdir(installed) else os.path.join(os.path.dirname(_PACKAGE), "presets")


def builtin_descriptions():
    """`{name: one-line description}` of every registered method's presets, by name."""
    descriptions = {}
    for method in methods.registered().values():
        descriptions.update(method.presets)
    return dict(sorted(descriptions.items()))


def is_builtin_preset(name):
    """Whether `name` is a built-in preset's name."""
    return name in builtin_descriptions()


def builtin_presets():
    """`{name: {"path": folder, "metadata": {...}}}` for every built-in preset.

    The metadata is the description plus what `tools/build_presets.py` measured and stored
    in the preset's `metadata.json` (method, data, backend, metrics, command).
    """
    presets = {}
    for name, description in builtin_descriptions().items():
        path = os.path.join(builtin_dir(), name)
        metadata = {"description": description}
        try:
            with open(os.path.join(path, "metadata.json")) as f:
                built = json.load(f).get("ssl_zoo", {})
        except (OSError, ValueError):
            built = {"status": "missing: build it with tools/build_presets.py"}
        metadata.update({key: built[key] for key in ("method", "data", "backend", "metrics", "status") if key in built})
        presets[name] = {"path": path, "metadata": metadata}
    return presets
