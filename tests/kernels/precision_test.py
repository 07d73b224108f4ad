import importlib
import os
from unittest import mock

import keras
import pytest

from ssl_zoo import kernels
from ssl_zoo.kernels import precision
from ssl_zoo.testing.oracles import nt_xent_numpy
from ssl_zoo.testing.test_case import TestCase
from ssl_zoo.testing.test_case import random_normal


class MatmulPrecisionTest(TestCase):
    def setUp(self):
        super().setUp()
        self.addCleanup(kernels.set_matmul_precision, kernels.matmul_precision())

    def test_default_is_highest(self):
        self.assertEqual(precision.DEFAULT, "highest")
        self.assertEqual(kernels.matmul_precision(), os.environ.get(precision.ENVIRONMENT_VARIABLE, "highest"))

    def test_set_and_refuse(self):
        kernels.set_matmul_precision("tf32")
        self.assertEqual(kernels.matmul_precision(), "tf32")
        with self.assertRaisesRegex(ValueError, r"one of highest, tf32. Received: precision='fp16'"):
            kernels.set_matmul_precision("fp16")
        self.assertEqual(kernels.matmul_precision(), "tf32")

    def test_tf32_changes_nothing_on_cpu(self):
        # No CPU rounds float32 products to TF32: the fused kernel still matches float64.
        z_a, z_b = random_normal((24, 16), seed=1), random_normal((24, 16), seed=2)
        kernels.set_matmul_precision("tf32")
        loss = kernels.nt_xent(z_a, z_b, 0.2, implementation="fused")
        self.assertAllClose(loss, nt_xent_numpy(z_a, z_b, 0.2)[0], atol=1e-5)

    def test_environment_variable_sets_the_policy_and_is_checked(self):
        # The module reads the variable when it is imported; reloading re-reads it.
        self.addCleanup(importlib.reload, precision)
        with mock.patch.dict(os.environ, {precision.ENVIRONMENT_VARIABLE: "tf32"}):
            self.assertEqual(importlib.reload(precision).matmul_precision(), "tf32")
        with mock.patch.dict(os.environ, {precision.ENVIRONMENT_VARIABLE: "half"}):
            with self.assertRaisesRegex(ValueError, "Received: SSL_ZOO_MATMUL_PRECISION='half'"):
                importlib.reload(precision)


class FusedPathPrecisionTest(TestCase):
    """The XLA tiles state the policy's precision in their compiled program on every device, so
    a GPU's TF32 default can't decide it."""

    def setUp(self):
        super().setUp()
        self.addCleanup(kernels.set_matmul_precision, kernels.matmul_precision())

    @pytest.mark.skipif(keras.config.backend() != "jax", reason="JAX's lowering")
    def test_jax_tiles_lower_every_product_at_the_policy_precision(self):
        import jax

        from ssl_zoo.kernels.jax.nt_xent_fused import nt_xent_fused

        z = random_normal((16, 4), seed=3)
        for policy, expected in (("highest", "[HIGHEST, HIGHEST]"), ("tf32", "[HIGH, HIGH]")):
            kernels.set_matmul_precision(policy)  # read when the step is traced
            step = jax.jit(jax.value_and_grad(lambda a, b: nt_xent_fused(a, b, 0.5, block_size=8)))
            dots = [line for line in step.lower(z, z).as_text().splitlines() if "dot_general" in line]
            self.assertEqual(len(dots), 4)  # the forward's tile and the backward's three
            for line in dots:
                self.assertIn(f"precision = {expected}", line)

    @pytest.mark.skipif(keras.config.backend() != "tensorflow", reason="TensorFlow's XLA programs")
    def test_tensorflow_tiles_compile_every_product_at_the_policy_precision(self):
        import tensorflow as tf

        xla_programs = importlib.import_module("ssl_zoo.kernels.tensorflow.xla_programs")
        from ssl_zoo.kernels import triangle

        z, t = tf.constant(random_normal((16, 4), seed=3)), tf.constant(0.5)
        for policy, expected in (("highest", "operand_precision={highest,highest}"), ("tf32", None)):
            forward, backward = xla_programs._programs(triangle.forward, triangle.backward, (8, 8), policy)
            value, residuals = forward(z, t)
            hlo = forward.experimental_get_compiler_ir(z, t)(stage="hlo")
            hlo += backward.experimental_get_compiler_ir((z, t), residuals, tf.constant(1.0))(stage="hlo")
            dots = [line for line in hlo.splitlines() if " dot(" in line]
            self.assertEqual(len(dots), 4)  # the forward's tile and the backward's three
            for line in dots:
                self.assertIn("XlaDotV2", line)
                if expected:
                    self.assertIn(expected, line)
                else:  # XLA's DEFAULT: TF32 on a GPU while TensorFlow's TF32 switch is on
                    self.assertNotIn("operand_precision", line)
