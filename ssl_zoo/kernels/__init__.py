"""NT-Xent: a `keras.ops` reference and fused kernels per backend."""

from ssl_zoo.kernels.nt_xent import IMPLEMENTATIONS
from ssl_zoo.kernels.nt_xent import nt_xent
from ssl_zoo.kernels.nt_xent import nt_xent_reference
