"""NT-Xent on JAX GPUs with the Pallas kernels of `pallas_kernels.py`.

The loss is written in `jax.numpy` around one `jax.custom_vjp` function, v -> LSE, whose
backward is the second kernel; JAX differentiates the rest (normalization, temperature,
positives):

    v = sqrt(s) u,  u = normalize(concat(z_a, z_b)),  s = 1 / temperature
    loss = mean_i [ LSE_i(v) - v_i . v_pos(i) ]

Only `v` and LSE (O(M D)) are saved for the backward, which recomputes the tiles.
"""

import functools

import jax
import jax.numpy as jnp
from jax import lax

from ssl_zoo.kernels import gpu_tiles
from ssl_zoo.kernels import precision as precision_policy
from ssl_zoo.kernels.jax import pallas_kernels

EPSILON = 1e-12  # squared-norm floor, as in `reference.normalize_rows`
LAX_PRECISION = {"highest": lax.Precision.HIGHEST, "tf32": lax.Precision.HIGH}


def nt_xent_pallas(z_a, z_b, temperature=0.5, precision=None, interpret=False):
    """NT-Xent (SimCLR, Eq. 1) with the Pallas kernels; O(N D) memory for the backward.

    Args:
        z_a: float array (N, D), float32, bfloat16 or float16, D <= `gpu_tiles.MAX_WIDTH`.
        z_b: float array (N, D).
        temperature: float > 0, or a scalar array (learnable; receives a gradient).
        precision: "highest", "tf32", or None for `ssl_zoo.kernels.matmul_precision()`.
        interpret: bool. Run the kernels in Pallas's interpreter, on any device (slow; for
            tests). False lowers them to Triton, which needs a GPU.

    Returns:
        Scalar float32 array; gradients reach `z_a`, `z_b` (in their dtype) and `temperature`.
    """
    precision = precision or precision_policy.matmul_precision()
    tile = gpu_tiles.gpu_tile(z_a.shape[1], precision, kernel="pallas")
    t = jnp.asarray(temperature).astype(jnp.float32).reshape(())
    return _loss(z_a, z_b, t, tile=tile, precision=precision, interpret=interpret)


@functools.partial(jax.jit, static_argnames=("tile", "precision", "interpret"))
def _loss(z_a, z_b, temperature, tile, precision, interpret):
    z = jnp.concatenate([z_a.astype(jnp.float32), z_b.astype(jnp.float32)])  # (M, D)
    sq = jnp.sum(z * z, axis=1, keepdims=True)  # (M, 1)
    v = z * lax.rsqrt(jnp.maximum(sq, EPSILON) * temperature)  # sqrt(s) u: S_ij = v_i . v_j
    lse = _row_lse(v, (tile, LAX_PRECISION[precision], interpret))  # (M,)
    s_pos = jnp.sum(v * jnp.roll(v, z_a.shape[0], axis=0), axis=1)  # (M,) s_{i, pos(i)}
    return jnp.mean(lse - s_pos)


def _pad(v, tile):
    m, d = v.shape
    mp = -(-m // tile.row_multiple) * tile.row_multiple
    return jnp.pad(v, ((0, mp - m), (0, tile.width - d)))


@functools.partial(jax.custom_vjp, nondiff_argnums=(1,))
def _row_lse(v, config):
    return _row_lse_forward(v, config)[0]


def _row_lse_forward(v, config):
    tile, precision, interpret = config
    m = v.shape[0]
    lse = pallas_kernels.row_lse(_pad(v, tile), m, tile, precision, interpret)[:m]
    return lse, (v, lse)


def _row_lse_backward(config, residuals, g):
    tile, precision, interpret = config
    v, lse = residuals
    m, d = v.shape
    vp = _pad(v, tile)
    rows = ((0, vp.shape[0] - m),)
    # Padding rows: lse 0 keeps exp finite, g 0 (and the masks) keep them out of every sum.
    out = pallas_kernels.apply_h(vp, jnp.pad(lse, rows), jnp.pad(g, rows), m, tile, precision, interpret)
    return (out[:m, :d],)


_row_lse.defvjp(_row_lse_forward, _row_lse_backward)
