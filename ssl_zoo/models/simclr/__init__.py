from ssl_zoo.models.simclr.simclr import SimCLR
from ssl_zoo.models.simclr.simclr_views import SimCLRViews

from ssl_zoo.models import preset_io
from ssl_zoo.models.simclr.simclr_presets import task_presets

preset_io.register_builtin_presets(task_presets)
