"""Preset look-up shared by every task: built-in names, folders and remote handles."""

import json
import os

import keras

from ssl_zoo.preset_catalog import builtin_descriptions
from ssl_zoo.preset_catalog import builtin_dir
from ssl_zoo.preset_catalog import builtin_presets  # noqa: F401 (part of this module's API)
from ssl_zoo.preset_catalog import is_builtin_preset  # noqa: F401

_REMOTE_PREFIXES = ("kaggle://", "hf://", "gs://", "modelscope://")
def resolve_preset(preset, task_name):
    """A built-in name, a preset folder or a remote handle -> what keras-hub can load.

    `preset` may be a str or an `os.PathLike`. Raises a `ValueError` naming the preset and
    the alternatives when it is none of these.
    """
    if isinstance(preset, os.PathLike):
        preset = os.fspath(preset)
    if not isinstance(preset, str):
        raise ValueError(f"preset must be a string or a path. Received: preset={preset!r}")
    builtin_names = builtin_descriptions()
    if preset in builtin_names:
        if os.path.isdir(preset):
            raise ValueError(
                f"'{preset}' is both a built-in preset and a folder here. Pass ./{preset} for the "
                "folder, or rename the folder to use the built-in preset."
            )
        path = os.path.join(builtin_dir(), preset)
        if not os.path.isfile(os.path.join(path, "config.json")):
            raise ValueError(
                f"The built-in preset '{preset}' is missing from {builtin_dir()}. In a "
                f"checkout, build it with `python tools/build_presets.py {preset}`."
            )
        return path
    if preset.startswith(_REMOTE_PREFIXES):
        return preset
    if os.path.isdir(preset):
        if not os.path.isfile(os.path.join(preset, "config.json")):
            raise ValueError(
                f"'{preset}' is not a preset folder: it has no config.json. Pass a folder "
                f"written by {task_name}.save_to_preset() or `ssl-zoo pretrain --out`."
            )
        return preset
    names = ", ".join(builtin_names)
    raise ValueError(
        f"Unknown preset '{preset}'. Built-in presets: {names} "
        "(or pass a folder, kaggle:// or hf:// handle)"
    )


def _registered_class(path, file_name):
    """The class a preset file's `registered_name` names; None if the file is absent."""
    file_path = os.path.join(path, file_name)
    if not os.path.exists(file_path):
        return None
    try:
        with open(file_path) as f:
            registered_name = json.load(f)["registered_name"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise ValueError(
            f"{file_path} is unreadable or corrupted ({error}). Rewrite the preset with "
            "save_to_preset() or `ssl-zoo pretrain --out`."
        ) from None
    cls = keras.saving.get_registered_object(registered_name)
    if not isinstance(cls, type):
        raise ValueError(
            f"{file_path} names the class '{registered_name}', which is not registered here. "
            "Import the package that defines it before loading the preset."
        )
    return cls


def preset_task_is(path, cls):
    """Whether the preset folder `path` holds a task of class `cls` (or a subclass)."""
    task_cls = _registered_class(path, "task.json")
    return task_cls is not None and issubclass(task_cls, cls)


def check_preset_classes(preset, path, task_cls):
    """Refuse a preset folder whose backbone or task `task_cls` can't be built from.

    The backbone in `config.json` must be a `task_cls.backbone_cls`; the task in `task.json`
    must be a `task_cls` unless `task_cls.builds_on_any_task` (classifiers).
    """
    backbone_cls = _registered_class(path, "config.json")
    if not issubclass(backbone_cls, task_cls.backbone_cls):
        raise ValueError(
            f"Preset '{preset}' holds a {backbone_cls.__name__} backbone but "
            f"{task_cls.__name__} builds on a {task_cls.backbone_cls.__name__}. "
            f"Built-in presets: {', '.join(builtin_descriptions())}."
        )
    saved_cls = _registered_class(path, "task.json")
    if saved_cls is not None and not task_cls.builds_on_any_task and not issubclass(saved_cls, task_cls):
        raise ValueError(
            f"Preset '{preset}' holds a {saved_cls.__name__}, not a {task_cls.__name__}. Load it "
            f"with {saved_cls.__name__}.from_preset() or ssl_zoo.models.load_task(), or "
            "fine-tune its backbone with ImageClassifier / TextClassifier.from_preset()."
        )


# keras-hub's loader hands these to the backbone, whatever the task's constructor takes.
_BACKBONE_PRESET_KWARGS = ("dtype", "image_shape")


def check_preset_kwargs(task_cls, kwargs):
    """Refuse keywords of `task_cls.from_preset` that its constructor would silently drop.

    Accepted: the named parameters of `task_cls.__init__` (`temperature`, `num_classes`,
    `backbone`, ...), `name`, and keras-hub's backbone keywords (`dtype`, `image_shape`).
    """
    import difflib
    import inspect

    parameters = inspect.signature(task_cls.__init__).parameters.values()
    accepted = {
        p.name for p in parameters if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
    } - {"self"}
    accepted |= {"name", *_BACKBONE_PRESET_KWARGS}
    unknown = sorted(set(kwargs) - accepted)
    if unknown:
        close = difflib.get_close_matches(unknown[0], accepted, n=1)
        hint = f" Did you mean {close[0]}?" if close else ""
        raise ValueError(
            f"{task_cls.__name__}.from_preset() got unknown keyword(s): {', '.join(unknown)}."
            f"{hint} Accepted keywords: {', '.join(sorted(accepted))}."
        )


def check_preset_weights(preset, path):
    """Refuse a preset folder whose weight files are missing or truncated, naming the file.

    `model.weights.h5` (or the shards listed in `model.weights.json`) must exist; every
    `*.weights.h5` present must open as HDF5.
    """
    import glob

    import h5py

    advice = (
        "The preset is damaged: rewrite it with the task's save_to_preset() (or "
        "`ssl-zoo pretrain --out`), or pass load_weights=False for the architecture alone."
    )
    weights_file = os.path.join(path, "model.weights.h5")
    if not os.path.exists(weights_file) and not os.path.exists(os.path.join(path, "model.weights.json")):
        raise ValueError(f"Could not load preset '{preset}': {weights_file} is missing. {advice}")
    for file_path in sorted(glob.glob(os.path.join(glob.escape(path), "*.weights.h5"))):
        try:
            with h5py.File(file_path, "r"):
                pass
        except OSError as error:
            raise ValueError(
                f"Could not load preset '{preset}': {file_path} is truncated or not an HDF5 "
                f"weights file ({error}). {advice}"
            ) from None


def changed_channels(path, image_shape):
    """`(saved, requested)` input channels when `image_shape` asks an image preset folder for
    other channels than its backbone was saved with; else None (also for remote handles,
    whose config keras-hub reads once fetched)."""
    if image_shape is None or not os.path.isdir(path):
        return None
    try:
        with open(os.path.join(path, "config.json")) as f:
            saved = json.load(f)["config"].get("image_shape")
    except (OSError, ValueError, KeyError, AttributeError):
        return None
    image_shape = tuple(image_shape)
    if saved is None or len(image_shape) != 3 or image_shape[-1] in (None, saved[-1]):
        return None
    return saved[-1], image_shape[-1]
