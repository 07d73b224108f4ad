"""Data-parallel training: cross-replica ops and the engine each backend ships."""

from ssl_zoo.distribution.data_parallel import DataParallel
from ssl_zoo.distribution.replicas import gather_replicas
from ssl_zoo.distribution.replicas import global_batch_size
from ssl_zoo.distribution.replicas import replica_loss
