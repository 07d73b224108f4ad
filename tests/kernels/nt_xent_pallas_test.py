"""The Pallas NT-Xent kernel on this CPU: interpret mode against the float64 oracle, and the
CUDA lowering (Triton custom calls, `tt.dot` precision) without a GPU."""

import contextlib
import importlib.util
import io
import json
import os
import re
import subprocess
import sys

import keras
import numpy as np
import pytest
from absl.testing import parameterized

from ssl_zoo.kernels import gpu_tiles
from ssl_zoo.testing.oracles import nt_xent_numpy
from ssl_zoo.testing.test_case import TestCase
from ssl_zoo.testing.test_case import random_normal

pytestmark = pytest.mark.skipif(keras.config.backend() != "jax", reason="Pallas is JAX's")

if keras.config.backend() == "jax":
    import jax
    import jax.numpy as jnp

    from ssl_zoo.kernels.jax import nt_xent_pallas
    from ssl_zoo.kernels.jax import pallas_kernels

# The dtype's spacing at 1: a gradient returned in that dtype is rounded to about this.
RESOLUTION = {"float32": 1e-5, "bfloat16": 2.0**-7, "float16": 2.0**-10}


def pallas_value_and_grad(z_a, z_b, temperature):
    loss = lambda a, b, t: nt_xent_pallas.nt_xent_pallas(a, b, t, interpret=True)
    return jax.value_and_grad(loss, argnums=(0, 1, 2))(z_a, z_b, jnp.float32(temperature))


class PallasInterpretTest(TestCase):
    @parameterized.parameters(
        # M = 2N rows against blocks of 64 (128 for TF32): one partial block, several, one row
        # pair; D pads to 16, 128 and 256.
        (1, 3, 0.5, "float32"), (37, 5, 0.05, "float32"), (70, 128, 5.0, "float32"),
        (33, 200, 1.0, "float32"), (40, 16, 0.2, "bfloat16"), (40, 16, 0.2, "float16"),
    )
    def test_value_and_gradients_match_float64_oracle(self, n, d, temperature, dtype):
        z_a, z_b = random_normal((n, d), seed=n + d), random_normal((n, d), seed=n + d + 1)
        z_a, z_b = jnp.asarray(z_a, dtype), jnp.asarray(z_b, dtype)
        value, (g_a, g_b, g_t) = pallas_value_and_grad(z_a, z_b, temperature)
        self.assertEqual(value.dtype, jnp.float32)
        self.assertEqual(g_a.dtype, z_a.dtype)
        # The oracle sees the same rounded inputs.
        a64, b64 = (np.asarray(z, np.float64) for z in (z_a.astype(jnp.float32), z_b.astype(jnp.float32)))
        loss, o_a, o_b, o_t = nt_xent_numpy(a64, b64, temperature)
        self.assertAllClose(value, loss, atol=1e-5, rtol=1e-5)
        scale = max(np.abs(o_a).max(), np.abs(o_b).max())
        atol = max(RESOLUTION[dtype] * scale, 1e-6)
        self.assertAllClose(np.asarray(g_a, np.float64), o_a, atol=atol, rtol=1e-4)
        self.assertAllClose(np.asarray(g_b, np.float64), o_b, atol=atol, rtol=1e-4)
        self.assertAllClose(g_t, o_t, atol=1e-6, rtol=1e-4)

    def test_identical_rows_give_log_2n_minus_1(self):
        z = np.ones((50, 8), "float32")
        loss = nt_xent_pallas.nt_xent_pallas(z, z, 0.5, interpret=True)
        self.assertAllClose(loss, np.log(99.0), atol=1e-6)


def lowered_triton_modules(fn, *shapes):
    """The StableHLO text of `fn` lowered for CUDA, and the Triton IR its kernels printed."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        lowered = jax.jit(fn).trace(*shapes).lower(lowering_platforms=("cuda",))
    modules = re.findall(r"The Triton module for pallas_call[^\n]*\n(.*?)(?=\nThe kernel jaxpr|\Z)", out.getvalue(), re.S)
    return lowered.as_text(), modules


class PallasCudaLoweringTest(TestCase):
    # tt.dot prints its input precision unless it is the IR's default, IEEE (float32 products):
    # HIGHEST lowers to IEEE, HIGH to TF32.
    MARKS = {"highest": None, "tf32": "inputPrecision = tf32"}

    def test_every_configuration_lowers_to_triton_with_the_policy_precision(self):
        for precision, tiles in gpu_tiles.PALLAS_CONFIGS.items():
            lax_precision = nt_xent_pallas.LAX_PRECISION[precision]
            for width, tile in tiles.items():
                mp, m = 4 * tile.row_multiple, 4 * tile.row_multiple - 3

                def kernels(v, lse, g):
                    return (pallas_kernels.row_lse(v, m, tile, lax_precision, debug=True),
                            pallas_kernels.apply_h(v, lse, g, m, tile, lax_precision, debug=True))

                rows = jax.ShapeDtypeStruct((mp,), jnp.float32)
                hlo, modules = lowered_triton_modules(kernels, jax.ShapeDtypeStruct((mp, width), jnp.float32), rows, rows)
                self.assertEqual(hlo.count("__gpu$xla.gpu.triton"), 2, (precision, width))
                for launch in (tile.forward, tile.backward):
                    self.assertIn(f"num_warps = {launch.warps} : i32", hlo)
                forward, backward = modules
                for module, dots in ((forward, 1), (backward, 2)):
                    lines = re.findall(r"tt\.dot [^\n]*", module)
                    self.assertEqual(len(lines), dots, (precision, width))
                    for line in lines:
                        mark = self.MARKS[precision]
                        if mark is None:
                            self.assertNotIn("inputPrecision", line)
                        else:
                            self.assertIn(mark, line)

    def test_the_loss_and_its_gradient_lower_to_two_triton_kernels(self):
        def loss(z_a, z_b, t):
            return jax.value_and_grad(nt_xent_pallas.nt_xent_pallas, argnums=(0, 1, 2))(z_a, z_b, t)

        z = jax.ShapeDtypeStruct((1000, 128), jnp.float32)
        hlo, _ = lowered_triton_modules(loss, z, z, jax.ShapeDtypeStruct((), jnp.float32))
        self.assertEqual(hlo.count("__gpu$xla.gpu.triton"), 2)
        self.assertNotIn("mosaic", hlo.lower())


class PallasTritonCompileTest(TestCase):
    @pytest.mark.large
    @pytest.mark.skipif(importlib.util.find_spec("triton") is None, reason="needs triton")
    def test_every_configuration_compiles_for_sm80_and_sm90_within_limits(self):
        # The Triton wheel stands in for XLA's Triton (kernels/jax/pallas_report.py). Its own
        # process: Triton loaded after TensorFlow (which keras-hub imports) crashes the process.
        result = subprocess.run([sys.executable, "-m", "ssl_zoo.kernels.jax.pallas_report"],
                                env=dict(os.environ, KERAS_BACKEND="jax"), capture_output=True,
                                text=True, timeout=1800)
        self.assertEqual(result.returncode, 0, result.stderr[-3000:])
        reports = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
        self.assertEqual(len(reports), 2 * 2 * sum(len(t) for t in gpu_tiles.PALLAS_CONFIGS.values()))
        for report in reports:
            self.assertLessEqual(report["shared_bytes"], report["shared_limit"], report)
            self.assertEqual(report["stack_bytes"], 0, report)  # no spills
