"""MoCo v3 as the registry sees it: options, presets and how they are trained."""

import functools

from ssl_zoo import methods
from ssl_zoo.methods import shared_options

METHOD = methods.register(methods.Method(
    name="mocov3", task="ssl_zoo.models.mocov3:MoCoV3", modality="images",
    build=functools.partial(shared_options.build_image_task, task="MoCoV3",
                            options=("momentum", "predictor_hidden_dim", "temperature")),
    description="contrastive: each view's query against a momentum encoder's keys of the other view",
    tiny=dict(projection_dim=8, projection_hidden_dim=16, predictor_hidden_dim=16, seed=1),
    tiny_backbone="one_stage_backbone",  # the step runs the backbone four times
    deterministic=shared_options.TWO_VIEW_DETERMINISTIC,
    options=methods.IMAGE_OPTIONS + (
        shared_options.MOMENTUM, shared_options.PREDICTOR_HIDDEN_DIM, shared_options.TEMPERATURE,
    ),
    reseeds_preset=True,
))
