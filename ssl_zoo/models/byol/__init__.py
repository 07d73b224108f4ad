from ssl_zoo.models.byol.byol import BYOL
from ssl_zoo.models.byol.byol_loss import byol_loss
