"""Compile the Pallas NT-Xent kernels' Triton IR with the Triton wheel, for GPUs not present.

On a GPU, XLA compiles the IR that Pallas lowers to with its own copy of Triton. Without one,
this takes the same IR (printed by `pallas_call(debug=True)` while lowering for CUDA) to the
Triton wheel's compiler and `ptxas`: a stand-in, since the two Triton versions differ, that
still shows what the tiles ask of shared memory and registers.

    python -m ssl_zoo.kernels.jax.pallas_report        # every configuration, JSON lines

Run it in a process of its own: Triton 3.7.1 loaded after TensorFlow (which keras-hub
imports) crashes the process.
"""

import contextlib
import io
import json
import os
import re
import subprocess
import sys
import tempfile

import jax
import jax.numpy as jnp
import triton
from triton import knobs
from triton.backends.compiler import GPUTarget

from ssl_zoo.kernels import gpu_tiles
from ssl_zoo.kernels.jax import pallas_kernels
from ssl_zoo.kernels.jax.nt_xent_pallas import LAX_PRECISION

SHARED_LIMITS = {80: 163 * 1024, 90: 227 * 1024}  # per block: A100, H100/H200


def triton_modules(tile, precision):
    """{"forward": IR, "backward": IR}: the Triton IR of both kernels lowered for CUDA."""
    mp = 2 * tile.row_multiple
    lax_precision = LAX_PRECISION[precision]

    def kernels(v, lse, g):
        return (pallas_kernels.row_lse(v, mp - 1, tile, lax_precision, debug=True),
                pallas_kernels.apply_h(v, lse, g, mp - 1, tile, lax_precision, debug=True))

    rows = jax.ShapeDtypeStruct((mp,), jnp.float32)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        jax.jit(kernels).trace(jax.ShapeDtypeStruct((mp, tile.width), jnp.float32), rows, rows).lower(
            lowering_platforms=("cuda",)
        )
    texts = re.findall(r"The Triton module for pallas_call[^\n]*\n(.*?)(?=\nThe kernel jaxpr|\Z)", printed.getvalue(), re.S)
    return dict(zip(("forward", "backward"), (_without_locations(t) for t in texts)))


def _without_locations(text):
    """The module alone, without the source locations the debug print adds."""
    text = re.sub(r' "[^"\n]*"\(#loc\d+\)| \[unknown\]| #loc\d*\b', "", text[text.index("module @"):])
    lines = text.splitlines()
    return "\n".join(lines[: lines.index("}") + 1]) + "\n"  # debug notes follow the module


def compile_report(kind, tile, precision, arch, modules=None):
    """Resources of `kind` ("forward"/"backward") compiled for sm_<arch> (80 or 90).

    Returns:
        dict with `shared_bytes`, `shared_limit`, `registers` and `stack_bytes` (0: no spills).
    """
    modules = modules or triton_modules(tile, precision)
    launch = getattr(tile, kind)
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, f"nt_xent_{kind}.ttir")
        with open(path, "w") as f:
            f.write(modules[kind])
        compiled = triton.compile(path, target=GPUTarget("cuda", arch, 32),
                                  options={"num_warps": launch.warps, "num_stages": launch.stages})
        cubin = os.path.join(folder, "kernel.cubin")
        with open(cubin, "wb") as f:
            f.write(compiled.asm["cubin"])
        usage = subprocess.run([knobs.nvidia.cuobjdump.path, "-res-usage", cubin],
                               capture_output=True, text=True, check=True).stdout
    usage = {key: int(value) for key, value in re.findall(r"\b(REG|STACK|SHARED):(\d+)", usage)}
    return {
        "kind": kind, "precision": precision, "arch": arch, "width": tile.width,
        "block_m": launch.block_m, "block_n": launch.block_n, "warps": launch.warps,
        "shared_bytes": compiled.metadata.shared + usage["SHARED"], "shared_limit": SHARED_LIMITS[arch],
        "registers": usage["REG"], "stack_bytes": usage["STACK"],
    }


if __name__ == "__main__":
    widths = [int(w) for w in sys.argv[1:]] or list(gpu_tiles.WIDTHS)
    for precision, tiles in gpu_tiles.PALLAS_CONFIGS.items():
        for width in widths:
            modules = triton_modules(tiles[width], precision)
            for arch in SHARED_LIMITS:
                for kind in ("forward", "backward"):
                    print(json.dumps(compile_report(kind, tiles[width], precision, arch, modules)), flush=True)
