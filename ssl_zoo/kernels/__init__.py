"""NT-Xent: a `keras.ops` reference and fused kernels per backend."""

from ssl_zoo.kernels.nt_xent import IMPLEMENTATIONS
from ssl_zoo.kernels.nt_xent import nt_xent
from ssl_zoo.kernels.nt_xent import nt_xent_reference
from ssl_zoo.kernels.replicas import gather_replicas
from ssl_zoo.kernels.replicas import replica_loss
