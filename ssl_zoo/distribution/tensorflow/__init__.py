"""TensorFlow quarters of data-parallel training: the cross-replica ops and the engine."""

from ssl_zoo.distribution.tensorflow.data_parallel import Engine
from ssl_zoo.distribution.tensorflow.replicas import gather_replicas
from ssl_zoo.distribution.tensorflow.replicas import global_batch_size
from ssl_zoo.distribution.tensorflow.replicas import replica_loss
