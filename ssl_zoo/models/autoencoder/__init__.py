from ssl_zoo.models.autoencoder.autoencoder import Autoencoder
from ssl_zoo.models.autoencoder.autoencoder_corruption import AutoencoderCorruption
from ssl_zoo.models.autoencoder.autoencoder_decoder import mirror_decoder

from ssl_zoo.models import preset_io
from ssl_zoo.models.autoencoder.autoencoder_presets import task_presets

preset_io.register_builtin_presets(task_presets)
