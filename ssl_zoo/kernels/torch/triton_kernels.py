"""Triton kernels of NT-Xent: the per-row log-sum-exp and its vector-Jacobian product.

Both take `v = sqrt(s) u` (M, D) float32, row-major with row stride `stride`, so that a tile of
`S = s u u^T` is `v_I v_J^T`. Program `i` owns rows `i * BLOCK_M ..` and walks all column
blocks (`gpu_tiles.py`); rows and columns at or past `m`, and projection columns at or past
`d`, are masked, so any M and D <= BLOCK_D run. `PRECISION` is Triton's `input_precision`:
"ieee" (float32 products) or "tf32".

- `lse_kernel`: LSE_i = log sum_{j != i} exp(S_ij), with a running maximum per row
  (FlashAttention's online softmax), so no temperature underflows it.
- `apply_h_kernel`: out_i = sum_j H_ij v_j with H_ij = g_i P_ij + g_j P_ji and
  P_ij = exp(S_ij - LSE_i) (P_ii = 0): the gradient of sum_i g_i LSE_i with respect to v.

The kernels are plain `triton.jit` functions: under `TRITON_INTERPRET=1` (set before Triton is
imported) they run on CPU tensors, which is how the tests check their values.
"""

import triton
import triton.language as tl

# The policy's names (`ssl_zoo.kernels.precision`) as Triton's `input_precision`.
TRITON_PRECISION = {"highest": "ieee", "tf32": "tf32"}
# Running maximum before any column: finite, so exp(NEG_START - max) = 0 and never NaN.
NEG_START = tl.constexpr(-1e30)


@triton.jit
def _tile_product(v_ptr, rows, cols, m, d, stride, BLOCK_M: tl.constexpr,
                  BLOCK_N: tl.constexpr, BLOCK_D: tl.constexpr, BLOCK_K: tl.constexpr,
                  PRECISION: tl.constexpr):
    """v[rows] . v[cols]^T (BLOCK_M, BLOCK_N), over the projection in chunks of BLOCK_K."""
    t = tl.zeros((BLOCK_M, BLOCK_N), tl.float32)
    for k0 in range(0, BLOCK_D, BLOCK_K):
        ks = k0 + tl.arange(0, BLOCK_K)
        a = tl.load(v_ptr + rows[:, None] * stride + ks[None, :],
                    mask=(rows[:, None] < m) & (ks[None, :] < d), other=0.0)
        b = tl.load(v_ptr + cols[:, None] * stride + ks[None, :],
                    mask=(cols[:, None] < m) & (ks[None, :] < d), other=0.0)
        t = tl.dot(a, tl.trans(b), t, input_precision=PRECISION)
    return t


@triton.jit
def lse_kernel(v_ptr, lse_ptr, m, d, stride, BLOCK_M: tl.constexpr, BLOCK_N: tl.constexpr,
               BLOCK_D: tl.constexpr, BLOCK_K: tl.constexpr, PRECISION: tl.constexpr):
    rows = tl.program_id(0) * BLOCK_M + tl.arange(0, BLOCK_M)
    run_max = tl.full((BLOCK_M,), NEG_START, tl.float32)
    run_sum = tl.zeros((BLOCK_M,), tl.float32)
    for j in range(0, tl.cdiv(m, BLOCK_N)):
        cols = j * BLOCK_N + tl.arange(0, BLOCK_N)
        t = _tile_product(v_ptr, rows, cols, m, d, stride, BLOCK_M, BLOCK_N, BLOCK_D, BLOCK_K,
                          PRECISION)
        # The diagonal is masked inside the tile: S_ii = s is the row maximum.
        keep = (cols[None, :] != rows[:, None]) & (cols[None, :] < m)
        t = tl.where(keep, t, float("-inf"))
        new_max = tl.maximum(run_max, tl.max(t, axis=1))
        run_sum = run_sum * tl.exp(run_max - new_max) + tl.sum(tl.exp(t - new_max[:, None]), axis=1)
        run_max = new_max
    tl.store(lse_ptr + rows, run_max + tl.log(run_sum), mask=rows < m)


@triton.jit
def apply_h_kernel(v_ptr, lse_ptr, g_ptr, out_ptr, m, d, stride, BLOCK_M: tl.constexpr,
                   BLOCK_N: tl.constexpr, BLOCK_D: tl.constexpr, BLOCK_K: tl.constexpr,
                   PRECISION: tl.constexpr):
    rows = tl.program_id(0) * BLOCK_M + tl.arange(0, BLOCK_M)
    dims = tl.arange(0, BLOCK_D)
    row_ok = rows < m
    lse_rows = tl.load(lse_ptr + rows, mask=row_ok, other=0.0)
    g_rows = tl.load(g_ptr + rows, mask=row_ok, other=0.0)
    acc = tl.zeros((BLOCK_M, BLOCK_D), tl.float32)
    for j in range(0, tl.cdiv(m, BLOCK_N)):
        cols = j * BLOCK_N + tl.arange(0, BLOCK_N)
        col_ok = cols < m
        t = _tile_product(v_ptr, rows, cols, m, d, stride, BLOCK_M, BLOCK_N, BLOCK_D, BLOCK_K,
                          PRECISION)
        lse_cols = tl.load(lse_ptr + cols, mask=col_ok, other=0.0)
        g_cols = tl.load(g_ptr + cols, mask=col_ok, other=0.0)
        h = (g_rows[:, None] * tl.exp(t - lse_rows[:, None])
             + g_cols[None, :] * tl.exp(t - lse_cols[None, :]))  # (BLOCK_M, BLOCK_N)
        keep = (cols[None, :] != rows[:, None]) & col_ok[None, :] & row_ok[:, None]
        h = tl.where(keep, h, 0.0)
        v_cols = tl.load(v_ptr + cols[:, None] * stride + dims[None, :],
                         mask=col_ok[:, None] & (dims[None, :] < d), other=0.0)
        acc = tl.dot(h, v_cols, acc, input_precision=PRECISION)
    tl.store(out_ptr + rows[:, None] * stride + dims[None, :], acc,
             mask=row_ok[:, None] & (dims[None, :] < d))
