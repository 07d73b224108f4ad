from ssl_zoo.models.data_parallel import DataParallel
from ssl_zoo.models.simclr import SimCLR
from ssl_zoo.models.ssl_task import SSLTask
from ssl_zoo.models.task_loading import load_task
