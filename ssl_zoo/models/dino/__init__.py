from ssl_zoo.models.dino.dino import DINO
from ssl_zoo.models.dino.dino_head import DINOHead
from ssl_zoo.models.dino.dino_head import NormalizedPrototypes
from ssl_zoo.models.dino.dino_loss import dino_loss
from ssl_zoo.models.dino.dino_state import DINOState
