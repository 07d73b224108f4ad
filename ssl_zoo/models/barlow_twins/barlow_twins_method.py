"""Barlow Twins as the registry sees it: options, presets and how they are trained."""

import functools

from ssl_zoo import methods
from ssl_zoo.methods import option_types
from ssl_zoo.methods import shared_options

METHOD = methods.register(methods.Method(
    name="barlow_twins", task="ssl_zoo.models.barlow_twins:BarlowTwins", modality="images",
    build=functools.partial(shared_options.build_image_task, task="BarlowTwins",
                            options=("redundancy_weight", "loss_scale")),
    description="the cross-correlation of two views' projections over the batch is pushed to the identity",
    tiny=dict(projection_dim=8, projection_hidden_dim=16, seed=1),
    tiny_backbone="one_stage_backbone",  # the step runs the backbone once per view
    deterministic=shared_options.TWO_VIEW_DETERMINISTIC,
    options=methods.IMAGE_OPTIONS + (
        methods.Option("redundancy_weight", "weight (lambda) of the cross-correlation's off-diagonal "
                       "terms (default: 0.0051, or --init-preset's)",
                       type=option_types.non_negative_float, metavar="W", overrides_preset=True),
        methods.Option("loss_scale", "factor of the whole loss (default: 1; solo-learn's CIFAR "
                       "recipe: 0.1; or --init-preset's)",
                       type=option_types.positive_float, metavar="S", overrides_preset=True),
    ),
    reseeds_preset=True,
))
