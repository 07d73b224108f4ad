"""PyTorch quarters of data-parallel training: the cross-replica ops and the engine."""

from ssl_zoo.distribution.torch.data_parallel import Engine
from ssl_zoo.distribution.torch.replicas import gather_replicas
from ssl_zoo.distribution.torch.replicas import global_batch_size
from ssl_zoo.distribution.torch.replicas import replica_loss
