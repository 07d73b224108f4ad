"""Where the Pallas NT-Xent kernel runs: JAX on a GPU, projections up to `MAX_WIDTH` wide."""

import jax

from ssl_zoo.kernels import gpu_tiles

NAME = "pallas"
FUSED_PATH = "the XLA tiles of ssl_zoo/kernels/triangle.py"


def unavailable(z_a, explicit=False):
    """Why the Pallas kernel can't take `z_a` here, or None when it can.

    Args:
        z_a: array (N, D).
        explicit: bool, whether the caller asked for the kernel by name (no difference on
            JAX: interpret mode is for tests, through `nt_xent_pallas(..., interpret=True)`).
    """
    del explicit
    platform = jax.default_backend()
    if platform != "gpu":
        return f"JAX runs on {platform} here and the Pallas kernel needs a GPU"
    if z_a.shape[1] > gpu_tiles.MAX_WIDTH:
        return f"the Pallas kernel takes D <= {gpu_tiles.MAX_WIDTH} and D={z_a.shape[1]}"
    return None


def nt_xent(z_a, z_b, temperature):
    """`nt_xent_pallas.nt_xent_pallas` under the precision policy in force."""
    from ssl_zoo.kernels.jax.nt_xent_pallas import nt_xent_pallas

    return nt_xent_pallas(z_a, z_b, temperature)
