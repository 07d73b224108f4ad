from ssl_zoo.models.rotnet.rotnet import RotNet
from ssl_zoo.models.rotnet.rotnet_turns import RotNetTurns

from ssl_zoo.models import preset_io
from ssl_zoo.models.rotnet.rotnet_presets import task_presets

preset_io.register_builtin_presets(task_presets)
