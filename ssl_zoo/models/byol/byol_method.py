"""BYOL as the registry sees it: options, presets and how they are trained."""

import functools

from ssl_zoo import methods
from ssl_zoo.methods import shared_options

METHOD = methods.register(methods.Method(
    name="byol", task="ssl_zoo.models.byol:BYOL", modality="images",
    build=functools.partial(shared_options.build_image_task, task="BYOL",
                            options=("momentum", "predictor_hidden_dim", "num_local_crops")),
    description="an online network predicts a momentum (EMA) target's projection of another view",
    # One local crop: the shared tests step multi-crop, which holds the two views' path.
    tiny=dict(projection_dim=8, projection_hidden_dim=16, predictor_hidden_dim=16, num_local_crops=1, local_size=8,
              seed=1),
    tiny_backbone="one_stage_backbone",  # the step runs the backbone five times
    deterministic=dict(shared_options.TWO_VIEW_DETERMINISTIC, local_crop_scale=(1.0, 1.0), local_blur_probability=0.0),
    options=methods.IMAGE_OPTIONS + (shared_options.MOMENTUM, shared_options.PREDICTOR_HIDDEN_DIM,
                                     shared_options.NUM_LOCAL_CROPS),
    reseeds_preset=True,
))
