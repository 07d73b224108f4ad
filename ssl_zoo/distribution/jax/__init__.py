"""JAX quarters of data-parallel training: the cross-replica ops and the engine."""

from ssl_zoo.distribution.jax.data_parallel import Engine
from ssl_zoo.distribution.jax.replicas import gather_replicas
from ssl_zoo.distribution.jax.replicas import global_batch_size
from ssl_zoo.distribution.jax.replicas import replica_loss
