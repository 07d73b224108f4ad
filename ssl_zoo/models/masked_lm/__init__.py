from ssl_zoo.models.masked_lm.masked_lm import MaskedLM
from ssl_zoo.models.masked_lm.masked_lm_preprocessor import MaskedLMPreprocessor
