"""The Triton NT-Xent kernels in Triton's CPU interpreter, against the float64 oracle.

Triton decides at import whether `triton.jit` compiles or interprets, so these tests run in
their own process with `TRITON_INTERPRET=1`: `nt_xent_triton_test.py` starts it. In any other
run they skip.
"""

import os

import keras
import numpy as np
import pytest
from absl.testing import parameterized

from ssl_zoo import kernels
from ssl_zoo.testing.oracles import nt_xent_numpy
from ssl_zoo.testing.test_case import TestCase
from ssl_zoo.testing.test_case import random_normal

RUNS = keras.config.backend() == "torch" and os.environ.get("TRITON_INTERPRET") == "1"
pytestmark = pytest.mark.skipif(
    not RUNS, reason="runs in the process nt_xent_triton_test.py starts (torch, TRITON_INTERPRET=1)"
)

if RUNS:
    import torch

    from ssl_zoo.kernels.torch import nt_xent_triton

# The dtype's spacing at 1: a gradient returned in that dtype is rounded to about this.
RESOLUTION = {"float32": 1e-5, "bfloat16": 2.0**-7, "float16": 2.0**-10}


def triton_value_and_grad(z_a, z_b, temperature, precision=None):
    args = [z.clone().requires_grad_(True) for z in (z_a, z_b)]
    t = torch.tensor(temperature, requires_grad=True)
    value = nt_xent_triton.nt_xent_triton(*args, t, precision=precision)
    return value, torch.autograd.grad(value, (*args, t))


class TritonInterpretTest(TestCase):
    def test_kernels_are_interpreted(self):
        self.assertTrue(nt_xent_triton.interpreting())

    @parameterized.parameters(
        # M = 2N rows against blocks of 64: one partial block, several, one row pair; D pads
        # to 16, 128 and 256; the TF32 table's tiles (the interpreter's products are float32).
        (1, 3, 0.5, "float32", "highest"), (37, 5, 0.05, "float32", "highest"),
        (70, 128, 5.0, "float32", "highest"), (33, 200, 1.0, "float32", "highest"),
        (90, 64, 0.1, "float32", "tf32"), (40, 16, 0.2, "bfloat16", "highest"),
        (40, 16, 0.2, "float16", "highest"),
    )
    def test_value_and_gradients_match_float64_oracle(self, n, d, temperature, dtype_name, precision):
        dtype = getattr(torch, dtype_name)
        z_a = torch.tensor(random_normal((n, d), seed=n + d)).to(dtype)
        z_b = torch.tensor(random_normal((n, d), seed=n + d + 1)).to(dtype)
        value, (g_a, g_b, g_t) = triton_value_and_grad(z_a, z_b, temperature, precision)
        self.assertEqual(value.dtype, torch.float32)
        self.assertEqual(g_a.dtype, dtype)
        loss, o_a, o_b, o_t = nt_xent_numpy(z_a.double().numpy(), z_b.double().numpy(), temperature)
        self.assertAllClose(value, loss, atol=1e-5, rtol=1e-5)
        scale = max(np.abs(o_a).max(), np.abs(o_b).max())
        atol = max(RESOLUTION[dtype_name] * scale, 1e-6)
        self.assertAllClose(g_a.double().numpy(), o_a, atol=atol, rtol=1e-4)
        self.assertAllClose(g_b.double().numpy(), o_b, atol=atol, rtol=1e-4)
        self.assertAllClose(g_t, o_t, atol=1e-6, rtol=1e-4)

    def test_dispatcher_runs_the_interpreted_kernel_when_asked_by_name(self):
        z_a, z_b = random_normal((20, 8), seed=1), random_normal((20, 8), seed=2)
        loss = kernels.nt_xent(torch.tensor(z_a), torch.tensor(z_b), 0.3, implementation="triton")
        self.assertAllClose(loss, nt_xent_numpy(z_a, z_b, 0.3)[0], atol=1e-5)
