"""PyTorch quarters of the NT-Xent and InfoNCE kernels."""

import torch

from ssl_zoo.kernels.torch.info_nce_fused import info_nce_fused
from ssl_zoo.kernels.torch.nt_xent_fused import nt_xent_fused


def is_symbolic(x):
    return torch.compiler.is_compiling()
