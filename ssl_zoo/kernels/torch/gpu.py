"""Where the Triton NT-Xent kernel runs: CUDA tensors, projections up to `MAX_WIDTH` wide.

Triton is imported only when a kernel may run: the CPU build of torch does not install it.
"""

import importlib.util
import os

import torch

from ssl_zoo.kernels import gpu_tiles

NAME = "triton"
FUSED_PATH = "the tiled PyTorch kernel of ssl_zoo/kernels/torch/nt_xent_fused.py"


def unavailable(z_a, explicit=False):
    """Why the Triton kernel can't take `z_a` here, or None when it can.

    Args:
        z_a: tensor or array (N, D).
        explicit: bool, whether the caller asked for the kernel by name: then CPU tensors
            run in Triton's interpreter when `TRITON_INTERPRET=1` was set before the import.
    """
    if importlib.util.find_spec("triton") is None:
        return "Triton is not installed (pip install 'ssl-zoo[gpu]' installs triton==3.7.1)"
    if z_a.shape[1] > gpu_tiles.MAX_WIDTH:
        return f"the Triton kernel takes D <= {gpu_tiles.MAX_WIDTH} and D={z_a.shape[1]}"
    if isinstance(z_a, torch.Tensor) and z_a.is_cuda:
        return None
    if explicit and os.environ.get("TRITON_INTERPRET") == "1":
        from ssl_zoo.kernels.torch import nt_xent_triton

        if nt_xent_triton.interpreting():
            return None
    device = z_a.device.type if isinstance(z_a, torch.Tensor) else "cpu (a NumPy array)"
    return f"z_a is on {device} and the Triton kernel needs CUDA tensors"


def nt_xent(z_a, z_b, temperature):
    """`nt_xent_triton.nt_xent_triton` under the precision policy in force."""
    from ssl_zoo.kernels.torch.nt_xent_triton import nt_xent_triton

    return nt_xent_triton(torch.as_tensor(z_a), torch.as_tensor(z_b), temperature)
