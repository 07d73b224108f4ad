from ssl_zoo.models.autoencoder import Autoencoder
from ssl_zoo.models.data_parallel import DataParallel
from ssl_zoo.models.masked_lm import MaskedLM
from ssl_zoo.models.masked_lm import MaskedLMPreprocessor
from ssl_zoo.models.rotnet import RotNet
from ssl_zoo.models.simclr import SimCLR
from ssl_zoo.models.ssl_task import SSLTask
from ssl_zoo.models.task_loading import load_task
