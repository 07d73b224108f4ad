"""NT-Xent and InfoNCE: `keras.ops` references, fused kernels per backend, and GPU kernels
(Pallas, Triton) for NT-Xent."""

from ssl_zoo.kernels.info_nce import info_nce
from ssl_zoo.kernels.info_nce import info_nce_reference
from ssl_zoo.kernels.nt_xent import IMPLEMENTATIONS
from ssl_zoo.kernels.nt_xent import nt_xent
from ssl_zoo.kernels.nt_xent import nt_xent_reference
from ssl_zoo.kernels.precision import matmul_precision
from ssl_zoo.kernels.precision import set_matmul_precision
