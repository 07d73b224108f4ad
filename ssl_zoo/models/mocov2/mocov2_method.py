"""MoCo v2 as the registry sees it: options, presets and how they are trained."""

import functools

from ssl_zoo import methods
from ssl_zoo.methods import option_types
from ssl_zoo.methods import shared_options

METHOD = methods.register(methods.Method(
    name="mocov2", task="ssl_zoo.models.mocov2:MoCoV2", modality="images",
    build=functools.partial(shared_options.build_image_task, task="MoCoV2",
                            options=("momentum", "queue_size", "temperature")),
    description="contrastive: queries against a momentum encoder's keys and a queue of past keys",
    tiny=dict(projection_dim=8, projection_hidden_dim=16, queue_size=16, seed=1),
    tiny_backbone="one_stage_backbone",  # the step runs the backbone four times
    # Whole-image crops and no color change: on mirror-symmetric images no draw matters.
    deterministic=dict(crop_scale=(1.0, 1.0), jitter_strength=0.0),
    options=methods.IMAGE_OPTIONS + (
        shared_options.MOMENTUM,
        methods.Option("queue_size", "keys in the queue of negatives, a multiple of the global "
                       "batch (default: 4096)",
                       type=option_types.positive_int, metavar="K", shapes_model=True),
        shared_options.TEMPERATURE,
    ),
    reseeds_preset=True,
))
