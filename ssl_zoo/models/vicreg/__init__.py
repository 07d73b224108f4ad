from ssl_zoo.models.vicreg.vicreg import VICReg
from ssl_zoo.models.vicreg.vicreg_loss import vicreg_loss
