"""SimSiam as the registry sees it: options, presets and how they are trained."""

import functools

from ssl_zoo import methods
from ssl_zoo.methods import shared_options

METHOD = methods.register(methods.Method(
    name="simsiam", task="ssl_zoo.models.simsiam:SimSiam", modality="images",
    build=functools.partial(shared_options.build_image_task, task="SimSiam",
                            options=("predictor_hidden_dim",)),
    description="a predictor maps one view's projection onto the other's, behind a stop-gradient",
    tiny=dict(projection_dim=8, projection_hidden_dim=16, predictor_hidden_dim=16, seed=1),
    tiny_backbone="one_stage_backbone",  # the step runs the backbone once per view
    # Whole-image crops and no color change: on mirror-symmetric images no draw matters.
    deterministic=dict(crop_scale=(1.0, 1.0), jitter_strength=0.0),
    options=methods.IMAGE_OPTIONS + (shared_options.PREDICTOR_HIDDEN_DIM,),
    reseeds_preset=True,
))
