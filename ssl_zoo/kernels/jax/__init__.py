"""JAX quarters of the NT-Xent kernel."""

import jax

from ssl_zoo.kernels.jax.nt_xent_fused import nt_xent_fused


def is_symbolic(x):
    return isinstance(x, jax.core.Tracer)
