from ssl_zoo.models.masked_lm.masked_lm import MaskedLM
from ssl_zoo.models.masked_lm.masked_lm_preprocessor import MaskedLMPreprocessor

from ssl_zoo.models import preset_io
from ssl_zoo.models.masked_lm.masked_lm_presets import task_presets

preset_io.register_builtin_presets(task_presets)
