"""VICReg as the registry sees it: options, presets and how they are trained."""

import functools

from ssl_zoo import methods
from ssl_zoo.methods import option_types
from ssl_zoo.methods import shared_options

_WEIGHTS = (("invariance", "the views' mean squared error", 25), ("variance", "the standard deviations' hinge", 25),
            ("covariance", "the squared covariances", 1))

METHOD = methods.register(methods.Method(
    name="vicreg", task="ssl_zoo.models.vicreg:VICReg", modality="images",
    build=functools.partial(shared_options.build_image_task, task="VICReg",
                            options=tuple(f"{term}_weight" for term, _, _ in _WEIGHTS)),
    description="two views' projections kept alike, each dimension's variance up and covariances down",
    tiny=dict(projection_dim=8, projection_hidden_dim=16, seed=1),
    tiny_backbone="one_stage_backbone",  # the step runs the backbone once per view
    deterministic=shared_options.TWO_VIEW_DETERMINISTIC,
    options=methods.IMAGE_OPTIONS + tuple(
        methods.Option(f"{term}_weight", f"weight of {what} (default: {default}, or --init-preset's)",
                       type=option_types.non_negative_float, metavar="W", overrides_preset=True)
        for term, what, default in _WEIGHTS
    ),
    reseeds_preset=True,
))
