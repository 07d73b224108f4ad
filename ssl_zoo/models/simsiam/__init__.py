from ssl_zoo.models.simsiam.simsiam import SimSiam
from ssl_zoo.models.simsiam.simsiam_loss import simsiam_loss
from ssl_zoo.models.simsiam.simsiam_sgd import SimSiamSGD
