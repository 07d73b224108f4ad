"""DINO as the registry sees it: options, presets and how they are trained."""

import functools

from ssl_zoo import methods
from ssl_zoo.methods import option_types
from ssl_zoo.methods import shared_options

METHOD = methods.register(methods.Method(
    name="dino", task="ssl_zoo.models.dino:DINO", modality="images",
    build=functools.partial(shared_options.build_image_task, task="DINO",
                            options=("momentum", "num_prototypes", "num_local_crops", "teacher_temperature",
                                     "warmup_teacher_temperature_epochs")),
    description="a student matches a momentum teacher's centered, sharpened outputs across multi-crop views",
    # clip_norm 0.05: the clip acts in the harness's data-parallel step, where it must act on
    # the global gradient.
    tiny=dict(num_prototypes=16, hidden_dim=8, bottleneck_dim=4, num_local_crops=2, local_size=8, clip_norm=0.05,
              seed=1),
    tiny_backbone="one_stage_backbone",  # the step runs the backbone on four crops and the teacher on two
    # Whole-image crops, no color change, blur or solarization (see TWO_VIEW_DETERMINISTIC).
    deterministic=dict(global_crop_scale=(1.0, 1.0), local_crop_scale=(1.0, 1.0), jitter_strength=0.0,
                       blur_probabilities=(0.0, 0.0), solarize_probabilities=(0.0, 0.0), local_blur_probability=0.0),
    options=methods.IMAGE_OPTIONS + (
        shared_options.MOMENTUM,
        methods.Option("num_prototypes", "outputs K of the head (default: 4096)", type=option_types.positive_int,
                       metavar="K", shapes_model=True),
        shared_options.NUM_LOCAL_CROPS,
        methods.Option("teacher_temperature", "the teacher's temperature after its warmup from 0.04 (default: "
                       "0.07, or --init-preset's)", type=option_types.positive_float, metavar="T",
                       overrides_preset=True),
        methods.Option("warmup_teacher_temperature_epochs", "epochs of the teacher temperature's warmup "
                       "(default: 30, or --init-preset's)", type=option_types.non_negative_int, metavar="E",
                       overrides_preset=True),
    ),
    reseeds_preset=True,
))
