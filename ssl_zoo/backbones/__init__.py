from ssl_zoo.backbones.configs import BACKBONES
from ssl_zoo.backbones.configs import build_backbone
from ssl_zoo.backbones.small_resnet_backbone import SmallResNetBackbone
from ssl_zoo.backbones.text_configs import TEXT_BACKBONES
from ssl_zoo.backbones.text_configs import build_text_backbone
