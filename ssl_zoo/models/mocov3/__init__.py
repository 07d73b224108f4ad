from ssl_zoo.models.mocov3.mocov3 import MoCoV3
from ssl_zoo.models.mocov3.mocov3_loss import mocov3_loss
