"""What a method folder declares: its task, modality, command-line options and presets."""

import dataclasses
import importlib
from typing import Callable


@dataclasses.dataclass(frozen=True)
class Option:
    """A command-line option of `ssl-zoo pretrain` that some methods take.

    Args:
        name: str. The setting's name; the flag is `--name` with `-` for `_`.
        help: str. What it sets (the methods taking it and the default are added).
        type: callable. The argparse type (a checker of `ssl_zoo.methods.option_types`, or `str`).
        default: the value for a new model when the flag is not given; None for none.
        choices: tuple or None. The values argparse accepts.
        metavar: str or None.
        shapes_model: bool. The option builds the architecture, so a model from
            `--init-preset` (which keeps its own) refuses it.
        overrides_preset: bool. When given, it is passed to `from_preset` of a model
            trained further from `--init-preset`.
        output_file: bool. The value is a file written after training, checked before it
            starts (`ssl_zoo.files.check_file`).
        nargs: None or an argparse `nargs` (`"+"`: one value or more, as a list).
    """

    name: str
    help: str
    type: Callable = str
    default: object = None
    choices: tuple = None
    metavar: str = None
    shapes_model: bool = False
    overrides_preset: bool = False
    output_file: bool = False
    nargs: str = None

    @property
    def flag(self):
        return "--" + self.name.replace("_", "-")

    def argparse_kwargs(self):
        """What `add_argument` of this option takes besides its flag and help."""
        if self.choices is not None:
            return {"choices": self.choices}
        kwargs = {"type": self.type, "metavar": self.metavar}
        return kwargs if self.nargs is None else {**kwargs, "nargs": self.nargs}


@dataclasses.dataclass(frozen=True)
class Method:
    """One self-supervised method, as `ssl-zoo pretrain`, the preset tools and tests see it.

    Declared in the method's folder (`ssl_zoo/models/<method>/<method>_method.py`) without
    importing Keras, so the command line parses before any framework loads; the task class
    is imported on first use.

    Args:
        name: str. The method's name on the command line (`ssl-zoo pretrain NAME`).
        task: str `"module:Class"` of the task, or the task class itself.
        modality: `"images"` or `"texts"`: the data it trains on.
        build: callable `(settings) -> task`, a new untrained task. `settings` is an
            `argparse.Namespace` holding every option's value and `backbone` (None for the
            method's default), `seed`, `process_index`, `x_train` and `image_shape` (None
            for texts).
        tiny: dict or callable: a small task for the shared task tests
            (`ssl_zoo.testing.task_harness`), the same on every call (seeded). A dict holds
            keyword arguments of the task on the harness's tiny backbone of its modality; a
            callable is `(deterministic=False) -> task`.
        deterministic: dict. For a dict `tiny`, more keyword arguments that make its random
            draws no-ops on `harness_data.deterministic_batch`, so that a step on replicas
            whose random streams differ can equal a step on one device.
        tiny_backbone: str. For a dict `tiny`, the function of `ssl_zoo.testing.tiny` that
            builds its backbone: `"tiny_backbone"` (two stages), or `"one_stage_backbone"`
            for tasks whose step runs the backbone several times (compiling is most of the
            shared tests' time).
        options: tuple of `Option`s the method takes besides the common ones.
        presets: dict `{preset name: one-line description}` of its built-in presets.
        recipes: dict `{preset name: (data, [stage, ...])}`: how `tools/build_presets.py`
            trains them; a stage is the arguments of `ssl-zoo pretrain NAME` after the name,
            as typed in a shell, each stage training further from the one before.
        reseeds_preset: bool. The task takes `seed`, and a model from `--init-preset` gets
            `--seed` (plus the process index) so replicas draw different random views.
        validation_examples: int. Held-out examples given to `fit` as `validation_data`.
        data_parallel: bool. Whether `ssl-zoo pretrain` may train it on several replicas:
            True where a step on replicas was tested equal to one on the global batch
            (`ssl_zoo.testing.task_harness`).
        after_training: callable `(task, settings, x_test)` or None, run on the chief
            process after the preset is written (e.g. to save reconstructions).
        description: str. One line for `--help`.
    """

    name: str
    task: object
    modality: str
    build: Callable
    tiny: object
    options: tuple = ()
    deterministic: dict = dataclasses.field(default_factory=dict)
    tiny_backbone: str = "tiny_backbone"
    presets: dict = dataclasses.field(default_factory=dict)
    recipes: dict = dataclasses.field(default_factory=dict)
    reseeds_preset: bool = False
    validation_examples: int = 0
    data_parallel: bool = True
    after_training: Callable = None
    description: str = ""

    def __post_init__(self):
        if self.modality not in MODALITIES:
            raise ValueError(
                f"modality must be one of {', '.join(MODALITIES)}. "
                f"Received: modality={self.modality!r} for method {self.name!r}"
            )
        unknown = set(self.recipes) - set(self.presets)
        if unknown:
            raise ValueError(
                f"Method {self.name!r} has recipes for presets it does not declare: "
                f"{', '.join(sorted(unknown))}"
            )

    def task_class(self):
        """The task class, imported now if declared as `"module:Class"` (imports Keras)."""
        if not isinstance(self.task, str):
            return self.task
        module, _, name = self.task.partition(":")
        return getattr(importlib.import_module(module), name)


MODALITIES = ("images", "texts")
