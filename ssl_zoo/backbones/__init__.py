from ssl_zoo.backbones.configs import BACKBONES
from ssl_zoo.backbones.configs import build_backbone
from ssl_zoo.backbones.small_resnet_backbone import SmallResNetBackbone
