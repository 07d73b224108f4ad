"""Options and builders that several methods declare alike (methods sharing an option must)."""

from ssl_zoo.methods import option_types
from ssl_zoo.methods.method import Option

MOMENTUM = Option(
    "momentum",
    "the momentum (EMA) network's momentum at the first step, rising on a cosine to the "
    "method's last value (1; MoCo v2: 0.999) by the last step (default: the method's, or "
    "--init-preset's)",
    type=option_types.probability,
    metavar="M",
    overrides_preset=True,
)
NUM_LOCAL_CROPS = Option(
    "num_local_crops",
    "multi-crop: local crops per image, at 3/7 of the image side, besides the 2 views "
    "(default: the method's, 6 for dino and 0 for the others, or --init-preset's)",
    type=option_types.non_negative_int,
    metavar="N",
    overrides_preset=True,
)
PREDICTOR_HIDDEN_DIM = Option(
    "predictor_hidden_dim",
    "hidden width of the predictor (default: the method's)",
    type=option_types.positive_int,
    metavar="N",
    shapes_model=True,
)
TEMPERATURE = Option(
    "temperature",
    "softmax temperature of the contrastive loss (default: the method's, or --init-preset's)",
    type=option_types.positive_float,
    metavar="T",
    overrides_preset=True,
)
# Whole-image crops, no color change, no blur or solarization: on mirror-symmetric images no
# draw of `TwoViewAugmentation` matters (`Method.deterministic`).
TWO_VIEW_DETERMINISTIC = dict(
    crop_scale=(1.0, 1.0), jitter_strength=0.0, blur_probabilities=(0.0, 0.0),
    solarize_probabilities=(0.0, 0.0),
)


def build_image_task(settings, task, options):
    """A new `ssl_zoo.models.<task>` on `--backbone` (resnet_tiny by default), seeded per process.

    Args:
        settings: the `Method.build` settings.
        task: str. The task class's name in `ssl_zoo.models`.
        options: tuple of str. The settings passed to the task where given (not None).
    """
    from ssl_zoo import backbones
    from ssl_zoo import models

    backbone = backbones.build_backbone(settings.backbone or "resnet_tiny", settings.image_shape)
    given = {name: getattr(settings, name) for name in options}
    return getattr(models, task)(
        backbone,
        seed=settings.seed + settings.process_index,
        **{name: value for name, value in given.items() if value is not None},
    )
