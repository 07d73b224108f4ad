import math

import keras
import numpy as np
import pytest
from absl.testing import parameterized
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from ssl_zoo import kernels
from ssl_zoo.kernels import backend
from ssl_zoo.testing.autodiff import value_and_grad
from ssl_zoo.testing.oracles import nt_xent_numpy
from ssl_zoo.testing.test_case import TestCase
from ssl_zoo.testing.test_case import random_normal

FUSED = getattr(backend.module(), "nt_xent_fused", None)
needs_fused = pytest.mark.skipif(
    FUSED is None, reason=f"no fused NT-Xent kernel on {keras.config.backend()} yet"
)


def fused_value_and_grad(z_a, z_b, temperature, block_size=None):
    return value_and_grad(
        lambda a, b, t: FUSED(a, b, t, block_size=block_size), z_a, z_b, np.float32(temperature)
    )


@needs_fused
class NTXentFusedTest(TestCase):
    @parameterized.parameters(
        (1, 3, 0.5, None), (2, 1, 1.0, None), (3, 16, 0.01, 2), (7, 1, 10.0, 4),
        (7, 128, 0.1, 3), (64, 16, 0.05, 24), (257, 3, 0.2, 64), (257, 128, 0.5, None),
        (1000, 128, 0.1, None), (1000, 16, 0.01, 300),
    )
    def test_value_and_gradients_match_float64_oracle(self, n, d, temperature, block_size):
        z_a, z_b = random_normal((n, d), seed=n + d), random_normal((n, d), seed=n + d + 1)
        value, (g_a, g_b, g_t) = fused_value_and_grad(z_a, z_b, temperature, block_size)
        loss, o_a, o_b, o_t = nt_xent_numpy(z_a, z_b, temperature)
        self.assertAllClose(value, loss, atol=1e-5, rtol=1e-5)
        scale = max(np.abs(o_a).max(), np.abs(o_b).max())
        self.assertAllClose(g_a, o_a, atol=max(1e-5 * scale, 1e-6), rtol=1e-4)
        self.assertAllClose(g_b, o_b, atol=max(1e-5 * scale, 1e-6), rtol=1e-4)
        self.assertAllClose(g_t, o_t, atol=1e-6, rtol=1e-4)

    def test_small_temperature_with_near_orthogonal_rows_is_finite_and_exact(self):
        # exp(-2 / 0.01) underflows float32: a fixed-reference LSE would return -inf here.
        z = np.eye(64, dtype="float32")
        z_a, z_b = z[:32], z[32:]
        value, (g_a, _, _) = fused_value_and_grad(z_a, z_b, 0.01, block_size=16)
        loss, o_a, _, _ = nt_xent_numpy(z_a, z_b, 0.01)
        self.assertAllClose(value, loss, rtol=1e-5)
        self.assertAllClose(g_a, o_a, atol=1e-5)

    def test_large_magnitude_inputs(self):
        z_a, z_b = random_normal((33, 8), seed=1, scale=1e4), random_normal((33, 8), seed=2, scale=1e4)
        value, (g_a, _, _) = fused_value_and_grad(z_a, z_b, 0.1, block_size=16)
        loss, o_a, _, _ = nt_xent_numpy(z_a, z_b, 0.1)
        self.assertAllClose(value, loss, rtol=1e-5)
        self.assertAllClose(g_a, o_a, atol=1e-9, rtol=1e-3)

    def test_fixed_points(self):
        for n in (1, 5, 40):
            z = np.ones((n, 4), "float32")
            self.assertAllClose(FUSED(z, z, 0.5, block_size=8), math.log(2 * n - 1), atol=1e-6)
        z_a, z_b = random_normal((9, 5), seed=3), random_normal((9, 5), seed=4)
        self.assertAllClose(FUSED(z_a, z_b, 0.3), FUSED(z_b, z_a, 0.3), atol=1e-6)
        self.assertAllClose(FUSED(z_a[:1], z_b[:1], 0.3), 0.0, atol=1e-6)

    @parameterized.parameters(("bfloat16", 2e-2), ("float16", 2e-3))
    def test_low_precision_inputs(self, dtype, atol):
        z_a = keras.ops.cast(random_normal((40, 16), seed=5), dtype)
        z_b = keras.ops.cast(random_normal((40, 16), seed=6), dtype)
        loss = FUSED(z_a, z_b, 0.2, block_size=16)
        self.assertEqual(keras.backend.standardize_dtype(loss.dtype), "float32")
        rounded = [np.asarray(keras.ops.convert_to_numpy(keras.ops.cast(z, "float32"))) for z in (z_a, z_b)]
        self.assertAllClose(loss, nt_xent_numpy(*rounded, 0.2)[0], atol=1e-5)

    def test_dispatcher_picks_fused_by_default(self):
        z_a, z_b = random_normal((20, 8), seed=7), random_normal((20, 8), seed=8)
        default = kernels.nt_xent(z_a, z_b, 0.5)
        self.assertAllClose(default, kernels.nt_xent(z_a, z_b, 0.5, implementation="fused"), atol=0)
        self.assertAllClose(default, kernels.nt_xent_reference(z_a, z_b, 0.5), atol=1e-5)

    def test_under_compilation(self):
        z_a, z_b = random_normal((50, 16), seed=9), random_normal((50, 16), seed=10)
        loss, o_a, _, _ = nt_xent_numpy(z_a, z_b, 0.2)
        name = keras.config.backend()
        if name == "jax":
            import jax

            fn = jax.jit(jax.value_and_grad(lambda a, b: FUSED(a, b, 0.2, block_size=16)))
            value, g_a = fn(z_a, z_b)
        elif name == "tensorflow":
            import tensorflow as tf

            def value_and_grad_a(a, b):
                with tf.GradientTape() as tape:
                    tape.watch(a)
                    value = FUSED(a, b, 0.2, block_size=16)
                return value, tape.gradient(value, a)

            # Keras traces train_step with an unknown batch size: the kernel must too.
            unknown_rows = [tf.TensorSpec([None, 16], tf.float32)] * 2
            for jit_compile in (False, True):
                traced = tf.function(value_and_grad_a, unknown_rows, jit_compile=jit_compile)
                value, g_a = traced(tf.constant(z_a), tf.constant(z_b))
                self.assertAllClose(value, loss, atol=1e-5)
                self.assertAllClose(g_a, o_a, atol=1e-5)
            value, g_a = tf.function(value_and_grad_a, jit_compile=True)(z_a, z_b)
        else:
            import torch

            a = torch.tensor(z_a, requires_grad=True)
            value = torch.compile(lambda a, b: FUSED(a, b, 0.2, block_size=16))(a, torch.tensor(z_b))
            (g_a,) = torch.autograd.grad(value, a)
        self.assertAllClose(value, loss, atol=1e-5)
        self.assertAllClose(g_a, o_a, atol=1e-5)

    @settings(max_examples=15, deadline=None, derandomize=True)
    @given(
        n=st.integers(1, 40), d=st.integers(1, 12), block=st.integers(1, 32),
        temperature=st.sampled_from([0.05, 0.5, 2.0]),
    )
    def test_property_any_shape_and_block(self, n, d, block, temperature):
        z_a, z_b = random_normal((n, d), seed=n), random_normal((n, d), seed=n + 50)
        value, (g_a, g_b, _) = fused_value_and_grad(z_a, z_b, temperature, block)
        loss, o_a, o_b, _ = nt_xent_numpy(z_a, z_b, temperature)
        np.testing.assert_allclose(value, loss, atol=1e-5, rtol=1e-5)
        # dL/dz_i = (I - u_i u_i^T) dL/du_i / |z_i|: float32 rounding in dL/du_i is amplified
        # by 1 / |z_i| (for D = 1 the exact gradient is 0 and only that rounding remains), so
        # compare the well-conditioned |z_i| dL/dz_i.
        for z, g, o in ((z_a, g_a, o_a), (z_b, g_b, o_b)):
            norms = np.linalg.norm(z, axis=1, keepdims=True)
            np.testing.assert_allclose(g * norms, o * norms, atol=1e-5)


class NTXentFusedAvailabilityTest(TestCase):
    def test_fused_runs_or_says_why(self):
        z = np.ones((4, 3), "float32")
        if FUSED is None:
            with self.assertRaisesRegex(ValueError, "implementation='fused' is not available"):
                kernels.nt_xent(z, z, implementation="fused")
        else:
            self.assertAllClose(kernels.nt_xent(z, z, implementation="fused"), math.log(7), atol=1e-6)
