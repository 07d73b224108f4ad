from ssl_zoo.models.mocov2.mocov2 import MoCoV2
from ssl_zoo.models.mocov2.mocov2_loss import mocov2_loss
