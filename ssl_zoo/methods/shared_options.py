"""Options several methods take, declared once: the command line shows one flag for all."""

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
