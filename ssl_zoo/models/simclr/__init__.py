from ssl_zoo.models.simclr.simclr import SimCLR
from ssl_zoo.models.simclr.simclr_views import SimCLRViews
