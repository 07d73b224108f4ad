"""A tiled `keras.ops` forward and backward pair as one jitted `jax.custom_vjp`.

The fused NT-Xent (`kernels/triangle.py`) and InfoNCE (`kernels/info_nce_tiles.py`) kernels
are written as `forward(*args, tile) -> (loss, residuals)` and
`backward(args, residuals, g, tile) -> gradients of args` (the forward's own inputs come back
to the backward without being copied into its residuals); `custom_vjp` turns such a pair into
an op whose backward is exactly that function. Products run at the precision policy's JAX
precision (`ssl_zoo.kernels.precision`: "highest" by default, TF32 opt-in).
"""

import functools

import jax

JAX_PRECISION = {"highest": "highest", "tf32": "tensorfloat32"}  # jax.default_matmul_precision


def custom_vjp(forward, backward):
    """`op(config, *args)`, jitted, with `config = (tile, matmul_precision)` static.

    Args:
        forward: `f(*args, tile) -> (loss, residuals)` in `keras.ops`.
        backward: `f(args, residuals, g, tile) -> tuple of the gradients of args`.
    """

    @functools.partial(jax.custom_vjp, nondiff_argnums=(0,))
    def op(config, *args):
        return _forward(config, *args)[0]

    def _forward(config, *args):
        tile, matmul_precision = config
        with jax.default_matmul_precision(JAX_PRECISION[matmul_precision]):
            loss, residuals = forward(*args, tile)
        return loss, (args, residuals)

    def _backward(config, saved, g):
        tile, matmul_precision = config
        with jax.default_matmul_precision(JAX_PRECISION[matmul_precision]):
            return tuple(backward(*saved, g, tile))

    op.defvjp(_forward, _backward)
    return jax.jit(op, static_argnums=(0,))
