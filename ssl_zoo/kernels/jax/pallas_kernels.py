"""Pallas kernels of NT-Xent (Triton lowering): the per-row log-sum-exp and its gradient.

The same row-parallel walk as the Triton kernels on torch (`gpu_tiles.py`): program `i` owns
`block_m` rows of `v = sqrt(s) u` (Mp, width) and loops over every block of `block_n`
columns; a tile's product `v_I v_J^T` runs over the width in chunks of `block_k`. Arrays are
padded to power-of-two widths and to whole blocks of rows (the Triton lowering needs
power-of-two shapes, which interpret mode does not check); rows at or past `m` are masked.

`compiler_params=pltriton.CompilerParams(...)` selects the Triton lowering: jax's default GPU
lowering (Mosaic GPU) is not what these kernels are written for. `precision` is a
`lax.Precision`: HIGHEST lowers to `tt.dot` with IEEE float32 inputs, HIGH to TF32.
"""

import functools

import jax
import jax.numpy as jnp
from jax import lax
from jax.experimental import pallas as pl
from jax.experimental.pallas import triton as pltriton

NEG_START = -1e30  # running maximum before any column; finite, so exp(NEG_START - max) = 0


def _tile_product(v_ref, i, j, tile, launch, precision):
    """v[rows of block i] . v[columns of block j]^T (block_m, block_n)."""
    bm, bn, bk = launch.block_m, launch.block_n, tile.block_k

    def chunk(c, t):
        a = v_ref[pl.ds(i * bm, bm), pl.ds(c * bk, bk)]
        b = v_ref[pl.ds(j * bn, bn), pl.ds(c * bk, bk)]
        return t + pltriton.dot(a, b, trans_b=True, precision=precision)

    return lax.fori_loop(0, tile.width // bk, chunk, jnp.zeros((bm, bn), jnp.float32))


def _masks(i, j, m, launch):
    """(block_m, block_n) bool: off-diagonal entries of real rows and columns."""
    shape = (launch.block_m, launch.block_n)
    rows = i * launch.block_m + lax.broadcasted_iota(jnp.int32, shape, 0)
    cols = j * launch.block_n + lax.broadcasted_iota(jnp.int32, shape, 1)
    return (rows != cols) & (rows < m) & (cols < m)


def _lse_kernel(v_ref, lse_ref, *, m, tile, precision):
    i, launch = pl.program_id(0), tile.forward

    def column_block(j, carry):
        run_max, run_sum = carry
        t = _tile_product(v_ref, i, j, tile, launch, precision)
        # The diagonal is masked inside the tile: S_ii = s is the row maximum.
        t = jnp.where(_masks(i, j, m, launch), t, -jnp.inf)
        new_max = jnp.maximum(run_max, jnp.max(t, axis=1))
        run_sum = run_sum * jnp.exp(run_max - new_max) + jnp.sum(jnp.exp(t - new_max[:, None]), axis=1)
        return new_max, run_sum

    start = (jnp.full((launch.block_m,), NEG_START, jnp.float32), jnp.zeros((launch.block_m,), jnp.float32))
    run_max, run_sum = lax.fori_loop(0, v_ref.shape[0] // launch.block_n, column_block, start)
    lse_ref[pl.ds(i * launch.block_m, launch.block_m)] = run_max + jnp.log(run_sum)


def _apply_h_kernel(v_ref, lse_ref, g_ref, out_ref, *, m, tile, precision):
    i, launch = pl.program_id(0), tile.backward
    bm, bn = launch.block_m, launch.block_n
    lse_rows = lse_ref[pl.ds(i * bm, bm)][:, None]
    g_rows = g_ref[pl.ds(i * bm, bm)][:, None]

    def column_block(j, acc):
        t = _tile_product(v_ref, i, j, tile, launch, precision)
        lse_cols = lse_ref[pl.ds(j * bn, bn)][None, :]
        g_cols = g_ref[pl.ds(j * bn, bn)][None, :]
        h = g_rows * jnp.exp(t - lse_rows) + g_cols * jnp.exp(t - lse_cols)  # (bm, bn)
        h = jnp.where(_masks(i, j, m, launch), h, 0.0)
        return acc + pltriton.dot(h, v_ref[pl.ds(j * bn, bn), :], precision=precision)

    acc = lax.fori_loop(0, v_ref.shape[0] // bn, column_block, jnp.zeros((bm, tile.width), jnp.float32))
    out_ref[pl.ds(i * bm, bm), :] = acc


def row_lse(v, m, tile, precision, interpret=False, debug=False):
    """LSE_i = log sum_{j != i} exp(v_i . v_j) over the first `m` rows of padded `v`; (Mp,).

    Args:
        v: float32 (Mp, width), Mp a multiple of `tile.row_multiple`, zero past row `m`.
        m: int, the real rows.
        tile: a `gpu_tiles.GpuTile`.
        precision: `lax.Precision.HIGHEST` or `lax.Precision.HIGH` (TF32).
        interpret: bool, run in Pallas's interpreter (any device).
        debug: bool, print the kernel's jaxpr and Triton IR while lowering.
    """
    mp = v.shape[0]
    return pl.pallas_call(
        functools.partial(_lse_kernel, m=m, tile=tile, precision=precision),
        out_shape=jax.ShapeDtypeStruct((mp,), jnp.float32),
        grid=(mp // tile.forward.block_m,),
        compiler_params=pltriton.CompilerParams(num_warps=tile.forward.warps, num_stages=tile.forward.stages),
        interpret=interpret, debug=debug, name="nt_xent_lse",
    )(v)


def apply_h(v, lse, g, m, tile, precision, interpret=False, debug=False):
    """sum_j (g_i P_ij + g_j P_ji) v_j (Mp, width), P_ij = exp(v_i . v_j - LSE_i), P_ii = 0.

    The gradient of sum_i g_i LSE_i with respect to `v`. `lse` and `g` are (Mp,) and finite
    on the padding rows (which are masked); other arguments as in `row_lse`.
    """
    return pl.pallas_call(
        functools.partial(_apply_h_kernel, m=m, tile=tile, precision=precision),
        out_shape=jax.ShapeDtypeStruct(v.shape, jnp.float32),
        grid=(v.shape[0] // tile.backward.block_m,),
        compiler_params=pltriton.CompilerParams(num_warps=tile.backward.warps, num_stages=tile.backward.stages),
        interpret=interpret, debug=debug, name="nt_xent_apply_h",
    )(v, lse, g)
