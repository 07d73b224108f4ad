from ssl_zoo.models.rotnet.rotnet import RotNet
from ssl_zoo.models.rotnet.rotnet_turns import RotNetTurns
