from ssl_zoo.losses.nt_xent import NTXent
from ssl_zoo.losses.cross_view_cosine import cross_view_cosines
from ssl_zoo.losses.multi_crop_nt_xent import multi_crop_nt_xent
