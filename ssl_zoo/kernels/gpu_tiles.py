"""Tile configurations of the GPU NT-Xent kernels (Pallas on JAX, Triton on PyTorch).

Both kernels are row-parallel: program `i` owns `block_m` rows of `v = sqrt(s) u` and walks
every block of `block_n` columns, so it writes its own rows and needs no atomics. The forward
keeps an online log-sum-exp per row (exact at any temperature); the backward recomputes each
tile of `S = v v^T` and applies `H = P + P^T` to the column rows. A tile's product runs over the
projection width in chunks of `block_k` columns, loaded from memory: Triton's float32 (`ieee`)
dots keep both operands of a product in registers, and a whole 128-wide row spilled.

Triton and Pallas tensors have power-of-two sizes: `D` is padded (masked) to `width`, rows to
a multiple of the blocks. One configuration per (precision, width); `CONFIGS` lists every
one the dispatcher can pick for the Triton kernels (`PALLAS_CONFIGS` for Pallas, which
differs in two entries), and the tests compile each for sm_80 and sm_90 and check shared
memory and register spills (docs/decisions.md, "GPU kernels").
"""

import dataclasses

from ssl_zoo.kernels import precision as precision_policy

WIDTHS = (16, 32, 64, 128, 256)
MAX_WIDTH = WIDTHS[-1]  # wider projections run the framework's tiles


@dataclasses.dataclass(frozen=True)
class KernelTile:
    """The launch of one kernel.

    Attributes:
        block_m: int, rows per program.
        block_n: int, columns per tile.
        warps: int, warps of 32 threads per program.
        stages: int, software-pipeline stages of the column loop.
    """

    block_m: int
    block_n: int
    warps: int
    stages: int = 2


@dataclasses.dataclass(frozen=True)
class GpuTile:
    """The configuration of both kernels for one (precision, width).

    Attributes:
        width: int, the padded projection width (a power of two, >= D).
        block_k: int, projection columns per product chunk.
        forward: `KernelTile` of the log-sum-exp kernel.
        backward: `KernelTile` of its gradient.
    """

    width: int
    block_k: int
    forward: KernelTile
    backward: KernelTile

    @property
    def row_multiple(self):
        """Rows are padded to a multiple of this (every block, a power of two, divides it)."""
        return max(self.forward.block_m, self.forward.block_n, self.backward.block_m, self.backward.block_n)


def _tile(width, forward, backward):
    return GpuTile(width, min(32, width), KernelTile(*forward), KernelTile(*backward))


# (block_m, block_n, warps) of the forward and the backward. Each is the largest of the tiles
# tried whose compile for both sm_80 and sm_90 used no stack (no spills); the figures are in
# docs/decisions.md. TF32's tensor-core operands take fewer registers than float32 FMA ones.
CONFIGS = {
    "highest": {
        16: _tile(16, (64, 64, 8), (64, 64, 8)),
        32: _tile(32, (64, 64, 8), (64, 64, 8)),
        64: _tile(64, (64, 64, 8), (64, 64, 8)),
        128: _tile(128, (64, 64, 8), (64, 64, 8)),
        256: _tile(256, (64, 32, 4), (64, 32, 8)),
    },
    "tf32": {
        16: _tile(16, (128, 64, 4), (128, 64, 8)),
        32: _tile(32, (128, 64, 4), (128, 64, 8)),
        64: _tile(64, (64, 64, 8), (128, 64, 8)),
        128: _tile(128, (128, 64, 8), (128, 64, 8)),
        256: _tile(256, (64, 64, 4), (64, 64, 8)),
    },
}

# Pallas's backward lowers to different Triton IR than the Triton kernel (unmasked loads of
# padded arrays, its own dot lowering). Compiled by the Triton wheel (a stand-in for XLA's own
# Triton, `kernels/jax/pallas_report.py`) it spilled with the tiles above at float32 widths 128
# and 256; narrower column blocks don't.
PALLAS_CONFIGS = {name: dict(tiles) for name, tiles in CONFIGS.items()}
PALLAS_CONFIGS["highest"][128] = _tile(128, (64, 64, 8), (64, 32, 8))
PALLAS_CONFIGS["highest"][256] = _tile(256, (64, 32, 4), (64, 16, 8))
TABLES = {"triton": CONFIGS, "pallas": PALLAS_CONFIGS}


def padded_width(d):
    """The power of two >= max(d, 16) that the kernels compute with (tensor cores need 16)."""
    return max(WIDTHS[0], 1 << (int(d) - 1).bit_length())


def gpu_tile(d, precision=None, kernel="triton"):
    """The configuration for projections of width `d`.

    Args:
        d: int >= 1, the projection width D.
        precision: "highest", "tf32", or None for `precision.matmul_precision()`.
        kernel: "triton" (PyTorch's kernels) or "pallas" (JAX's).

    Returns:
        A `GpuTile`.

    Raises:
        ValueError: when `d > MAX_WIDTH`.
    """
    precision = precision or precision_policy.matmul_precision()
    width = padded_width(d)
    if width > MAX_WIDTH:
        raise ValueError(
            f"The GPU NT-Xent kernels take projections of width D <= {MAX_WIDTH}. "
            f"Received: D={d}"
        )
    return TABLES[kernel][precision][width]
