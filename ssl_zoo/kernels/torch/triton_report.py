"""Compile the Triton NT-Xent kernels for a GPU that this machine need not have.

`triton.compile` with a `GPUTarget` runs the whole pipeline (Triton IR, LLVM, PTX, and the
wheel's own `ptxas` to a cubin) without a driver. The cubin's resource usage (`cuobjdump
-res-usage`, also shipped in the wheel) gives the registers per thread and the stack frame:
a kernel that spills registers needs a stack, so `stack_bytes == 0` means no spills.

    python -m ssl_zoo.kernels.torch.triton_report        # every configuration, JSON lines

Shared memory is Triton's dynamic allocation plus the cubin's static shared memory; it must
fit the device's per-block limit, `SHARED_LIMITS`.
"""

import json
import os
import re
import subprocess
import sys
import tempfile

import triton
from triton import knobs
from triton.backends.compiler import GPUTarget
from triton.compiler import ASTSource

from ssl_zoo.kernels import gpu_tiles
from ssl_zoo.kernels.torch import triton_kernels

# Per-block shared memory a kernel may opt into: A100 (sm_80), H100/H200 (sm_90).
SHARED_LIMITS = {80: 163 * 1024, 90: 227 * 1024}
_POINTER = [["tt.divisibility", 16]]  # what Triton assumes at run time for aligned buffers


def kernel_launch(kind, tile, precision):
    """(kernel, constexprs, num_warps, num_stages) for `kind` "forward" or "backward"."""
    launch = getattr(tile, kind)
    constants = {
        "BLOCK_M": launch.block_m, "BLOCK_N": launch.block_n, "BLOCK_D": tile.width,
        "BLOCK_K": tile.block_k, "PRECISION": triton_kernels.TRITON_PRECISION[precision],
    }
    kernel = triton_kernels.lse_kernel if kind == "forward" else triton_kernels.apply_h_kernel
    return kernel, constants, launch.warps, launch.stages


def compile_report(kind, tile, precision, arch):
    """Compile one kernel for `sm_<arch>` and report its resources.

    Args:
        kind: "forward" (`lse_kernel`) or "backward" (`apply_h_kernel`).
        tile: a `gpu_tiles.GpuTile`.
        precision: "highest" or "tf32".
        arch: int compute capability, 80 or 90.

    Returns:
        dict with `shared_bytes`, `shared_limit`, `registers`, `stack_bytes` and the
        configuration it describes.
    """
    kernel, constants, warps, stages = kernel_launch(kind, tile, precision)
    pointers = ["v_ptr", "lse_ptr"] if kind == "forward" else ["v_ptr", "lse_ptr", "g_ptr", "out_ptr"]
    signature = {name: "*fp32" for name in pointers}
    signature.update({"m": "i32", "d": "i32", "stride": "i32"})
    signature.update({name: "constexpr" for name in constants})
    # Pointers 16-byte aligned and a row stride divisible by 16, as for D = width.
    attrs = {(i,): _POINTER for i in range(len(pointers))}
    attrs[(len(pointers) + 2,)] = _POINTER
    source = ASTSource(kernel, signature, constants, attrs)
    compiled = triton.compile(source, target=GPUTarget("cuda", arch, 32),
                              options={"num_warps": warps, "num_stages": stages})
    usage = _resource_usage(compiled.asm["cubin"])
    return {
        "kind": kind, "precision": precision, "arch": arch, "width": tile.width,
        "block_m": constants["BLOCK_M"], "block_n": constants["BLOCK_N"], "block_k": tile.block_k,
        "warps": warps, "stages": stages,
        "shared_bytes": compiled.metadata.shared + usage["SHARED"],
        "shared_limit": SHARED_LIMITS[arch],
        "registers": usage["REG"], "stack_bytes": usage["STACK"],
    }


def _resource_usage(cubin):
    with tempfile.NamedTemporaryFile(suffix=".cubin", delete=False) as f:
        f.write(cubin)
    try:
        out = subprocess.run([knobs.nvidia.cuobjdump.path, "-res-usage", f.name],
                             capture_output=True, text=True, check=True).stdout
    finally:
        os.remove(f.name)
    return {key: int(value) for key, value in re.findall(r"\b(REG|STACK|SHARED):(\d+)", out)}


def configurations(widths=None):
    """(kind, tile, precision, arch) for every configuration the dispatcher can pick."""
    for precision, tiles in gpu_tiles.CONFIGS.items():
        for width, tile in tiles.items():
            if widths is None or width in widths:
                for arch in SHARED_LIMITS:
                    for kind in ("forward", "backward"):
                        yield kind, tile, precision, arch


if __name__ == "__main__":
    widths = [int(w) for w in sys.argv[1:]] or None
    for case in configurations(widths):
        print(json.dumps(compile_report(*case)), flush=True)
