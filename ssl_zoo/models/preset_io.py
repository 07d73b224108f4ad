"""Preset look-up and atomic preset writes shared by every task."""

import os
import shutil
import tempfile

_REMOTE_PREFIXES = ("kaggle://", "hf://", "gs://", "modelscope://")
_BUILTIN_PRESETS = {}


def register_builtin_presets(presets):
    """Add `{name: {"path": folder, "metadata": {...}}}` entries to the built-in table."""
    _BUILTIN_PRESETS.update(presets)


def builtin_presets():
    return dict(_BUILTIN_PRESETS)


def resolve_preset(preset, task_name):
    """A built-in name, a preset folder or a remote handle -> what keras-hub can load.

    Raises a `ValueError` naming the preset and the alternatives when it is none of these.
    """
    if not isinstance(preset, str):
        raise ValueError(f"preset must be a string. Received: preset={preset!r}")
    if preset in _BUILTIN_PRESETS:
        return _BUILTIN_PRESETS[preset]["path"]
    if preset.startswith(_REMOTE_PREFIXES):
        return preset
    if os.path.isdir(preset):
        if not os.path.isfile(os.path.join(preset, "config.json")):
            raise ValueError(
                f"'{preset}' is not a preset folder: it has no config.json. Pass a folder "
                f"written by {task_name}.save_to_preset() or `ssl-zoo pretrain --out`."
            )
        return preset
    names = ", ".join(sorted(_BUILTIN_PRESETS)) or "none shipped yet"
    raise ValueError(
        f"Unknown preset '{preset}'. Built-in presets: {names} "
        "(or pass a folder, kaggle:// or hf:// handle)"
    )


def write_atomically(preset_dir, write):
    """Run `write(tmp_dir)`, then move the result to `preset_dir` in one rename.

    A failed or interrupted write leaves any earlier preset at `preset_dir` as it was.
    """
    preset_dir = os.path.abspath(preset_dir)
    parent = os.path.dirname(preset_dir)
    os.makedirs(parent, exist_ok=True)
    tmp_dir = tempfile.mkdtemp(prefix=".tmp-preset-", dir=parent)
    try:
        write(tmp_dir)
        if os.path.exists(preset_dir):
            old = tempfile.mkdtemp(prefix=".old-preset-", dir=parent)
            os.rename(preset_dir, os.path.join(old, "preset"))
            os.rename(tmp_dir, preset_dir)
            shutil.rmtree(old)
        else:
            os.rename(tmp_dir, preset_dir)
    except BaseException:
        shutil.rmtree(tmp_dir, ignore_errors=True)
        raise
