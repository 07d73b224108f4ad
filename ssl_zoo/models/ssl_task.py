"""The base of every ssl_zoo task: keras-hub's Task with checked presets and inputs."""

import os

import keras
import keras_hub
import numpy as np

from ssl_zoo import files
from ssl_zoo.models import input_channels
from ssl_zoo.models import preset_io


_MODEL_KEYWORDS = {"inputs", "outputs", "name", "trainable", "dtype", "compile"}


class SSLTask(keras_hub.models.Task):
    """`keras_hub.models.Task` with built-in preset names, checked inputs, atomic writes.

    Tasks without a `preprocessor` hand their data straight to Keras, so `fit`,
    `evaluate` and `predict` take NumPy arrays, `tf.data`, a torch `DataLoader` or a
    `keras.utils.PyDataset` alike (keras-hub's pipeline would re-slice the last two).
    Subclasses check NumPy inputs in `prepare_inputs`.
    """

    # Whether `from_preset` may build this task on another task's preset (its backbone).
    builds_on_any_task = False

    def __init__(self, *args, **kwargs):
        # Keras' functional constructor drops keywords it does not know: a setting of another
        # method (`SimCLR(backbone, predictor_hidden_dim=8)`) would vanish without a word.
        unknown = sorted(set(kwargs) - _MODEL_KEYWORDS)
        if unknown:
            import inspect

            taken = [p for p in inspect.signature(type(self).__init__).parameters if p not in ("self", "kwargs")]
            raise ValueError(
                f"{type(self).__name__} got unknown keyword(s): {', '.join(unknown)}. It takes: "
                f"{', '.join(taken)} (and name)."
            )
        super().__init__(*args, **kwargs)

    def prepare_inputs(self, x):
        """Validate and reshape NumPy inputs; other data sources pass unchanged."""
        return x

    def fit(self, x=None, *args, **kwargs):
        x = self.prepare_inputs(x)
        if self.preprocessor is None:
            return keras.Model.fit(self, x, *args, **kwargs)
        return super().fit(x, *args, **kwargs)

    def predict(self, x, *args, **kwargs):
        x = self.prepare_inputs(x)
        if self.preprocessor is None:
            return keras.Model.predict(self, x, *args, **kwargs)
        return super().predict(x, *args, **kwargs)

    def evaluate(self, x=None, *args, **kwargs):
        x = self.prepare_inputs(x)
        if self.preprocessor is None:
            return keras.Model.evaluate(self, x, *args, **kwargs)
        return super().evaluate(x, *args, **kwargs)

    @classmethod
    def from_preset(cls, preset, load_weights=True, **kwargs):
        """Instantiate the task from a built-in name, a preset folder or a handle.

        Args:
            preset: str or `os.PathLike`. A built-in name (`ssl_zoo.presets()`), a folder
                written by `save_to_preset`, or a `kaggle://` / `hf://` handle.
            load_weights: bool. Load the saved weights (else random initialization).
            **kwargs: forwarded to the constructor; a keyword it does not take is a
                `ValueError` (`preset_io.check_preset_kwargs`). `image_shape=(H, W, C)` runs
                an image preset's backbone at another size and, when `C` differs from the
                preset's channels, adapts its first convolution
                (`input_channels.adapt_input_kernel`: gray to color averaged, color to gray
                summed).
        """
        preset_io.check_preset_kwargs(cls, kwargs)
        path = preset_io.resolve_preset(preset, cls.__name__)
        channels = preset_io.changed_channels(path, kwargs.get("image_shape"))
        if channels is not None:  # load as saved, then adapt the stem
            image_shape = (*tuple(kwargs["image_shape"])[:-1], channels[0])
            task = cls.from_preset(preset, load_weights, **{**kwargs, "image_shape": image_shape})
            return input_channels.with_input_channels(task, channels[1])
        if os.path.isdir(path):  # a remote handle is checked by keras-hub once fetched
            preset_io.check_preset_classes(preset, path, cls)
            if load_weights:
                preset_io.check_preset_weights(preset, path)
            kwargs = cls.preset_kwargs(path, kwargs)
        try:
            return super().from_preset(path, load_weights=load_weights, **kwargs)
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise ValueError(
                f"Could not load preset '{preset}' as {cls.__name__}: {error}"
            ) from error

    @classmethod
    def preset_kwargs(cls, path, kwargs):
        """Constructor arguments `from_preset` adds for the preset folder `path`."""
        return kwargs

    def save_task_weights(self, filepath):
        """Save the weights outside the backbone, without the optimizer's state."""
        keras.saving.save_weights(self, filepath, objects_to_skip=self._not_task_weights())

    def load_task_weights(self, filepath):
        keras.saving.load_weights(self, filepath, objects_to_skip=self._not_task_weights())

    def _not_task_weights(self):
        return list(self.backbone._flatten_layers()) + [self.optimizer]

    def save_to_preset(self, preset_dir, max_shard_size=10):
        """Write a keras-hub preset folder; an existing preset there is replaced in one rename.

        Refused before anything is written: a `preset_dir` that is a file, a folder holding
        anything but a preset, the current folder (`ssl_zoo.files.check_preset_dir`), and
        weights that are not all finite (training diverged).
        """
        preset_dir = files.check_preset_dir(preset_dir)
        self._check_finite_weights()
        files.write_folder(preset_dir, lambda tmp: super(SSLTask, self).save_to_preset(tmp, max_shard_size))

    def _check_finite_weights(self):
        for variable in self.weights:
            value = keras.ops.convert_to_numpy(variable)
            if np.issubdtype(value.dtype, np.floating) and not np.all(np.isfinite(value)):
                raise ValueError(
                    f"The weight '{variable.path}' is not finite (training diverged): the preset "
                    "was not written. Train again with a lower learning rate or other settings."
                )
