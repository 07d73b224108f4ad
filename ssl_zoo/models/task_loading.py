"""Load any ssl_zoo task from a preset without knowing its class in advance."""

import json
import os

import keras

from ssl_zoo.models import preset_io
from ssl_zoo.models.ssl_task import SSLTask


def load_task(preset, load_weights=True, image_shape=None):
    """The task saved in `preset` (a built-in name or a folder), as its own class.

    Args:
        preset: str or `os.PathLike`. A built-in preset name or a folder written by
            `save_to_preset`.
        load_weights: bool. Load the saved weights.
        image_shape: None, or `(H, W, C)` to run an image task on images of that shape
            (`SSLTask.from_preset`: another size, the stem adapted to other channels).

    Returns:
        An `SSLTask` subclass instance (`SimCLR`, ...).
    """
    kwargs = {} if image_shape is None else {"image_shape": tuple(image_shape)}
    path = preset_io.resolve_preset(preset, "an ssl_zoo task")
    return task_class(preset).from_preset(path, load_weights=load_weights, **kwargs)


def task_class(preset):
    """The `SSLTask` subclass saved in `preset` (a built-in name or a folder), unbuilt."""
    path = preset_io.resolve_preset(preset, "an ssl_zoo task")
    task_file = os.path.join(path, "task.json")
    try:
        with open(task_file) as f:
            registered_name = json.load(f)["registered_name"]
    except (OSError, ValueError, KeyError) as error:
        raise ValueError(
            f"'{preset}' holds no readable task.json ({error}); it may be a bare backbone "
            "preset. Pass a folder written by a task's save_to_preset()."
        ) from None
    cls = keras.saving.get_registered_object(registered_name)
    if not (isinstance(cls, type) and issubclass(cls, SSLTask)):
        raise ValueError(
            f"'{preset}' holds a {registered_name}, not an ssl_zoo task."
        )
    return cls
