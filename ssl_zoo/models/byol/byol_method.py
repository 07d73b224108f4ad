"""BYOL as the registry sees it: options, presets and how they are trained."""

from ssl_zoo import methods


def build(settings):
    from ssl_zoo import backbones
    from ssl_zoo import models

    backbone = backbones.build_backbone(settings.backbone or "resnet_tiny", settings.image_shape)
    given = {name: getattr(settings, name) for name in ("momentum", "predictor_hidden_dim")}
    return models.BYOL(
        backbone,
        seed=settings.seed + settings.process_index,
        **{name: value for name, value in given.items() if value is not None},
    )


METHOD = methods.register(methods.Method(
    name="byol", task="ssl_zoo.models.byol:BYOL", modality="images", build=build,
    description="an online network predicts a momentum (EMA) target's projection of another view",
    tiny=dict(projection_dim=8, projection_hidden_dim=16, predictor_hidden_dim=16, seed=1),
    tiny_backbone="one_stage_backbone",  # the step runs the backbone four times
    # Whole-image crops, no color change, no blur or solarization: on mirror-symmetric
    # images no draw matters.
    deterministic=dict(crop_scale=(1.0, 1.0), jitter_strength=0.0, blur_probabilities=(0.0, 0.0),
                       solarize_probabilities=(0.0, 0.0)),
    options=methods.IMAGE_OPTIONS + (
        methods.shared_options.MOMENTUM,
        methods.shared_options.PREDICTOR_HIDDEN_DIM,
    ),
    reseeds_preset=True,
))
