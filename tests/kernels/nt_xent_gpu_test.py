"""The GPU kernels compiled and run on a GPU (`pytest -m gpu`): Pallas on JAX, Triton on
PyTorch, the XLA tiles on TensorFlow, each picked by `nt_xent` and held to 1e-5 of the float64
oracle under the default ("highest") precision."""

import keras
import numpy as np
import pytest
from absl.testing import parameterized

from ssl_zoo import kernels
from ssl_zoo.kernels import precision
from ssl_zoo.testing.oracles import nt_xent_numpy
from ssl_zoo.testing.test_case import TestCase
from ssl_zoo.testing.test_case import random_normal

pytestmark = pytest.mark.gpu
BACKEND = keras.config.backend()


def on_gpu(z):
    """`z` on the backend's first GPU."""
    if BACKEND == "jax":
        import jax

        return jax.device_put(z, jax.devices("gpu")[0])
    if BACKEND == "torch":
        import torch

        return torch.tensor(z, device="cuda", requires_grad=True)
    import tensorflow as tf

    with tf.device("GPU:0"):
        return tf.Variable(z)


def value_and_grad(z_a, z_b, temperature):
    loss = lambda a, b: kernels.nt_xent(a, b, temperature)
    if BACKEND == "jax":
        import jax

        value, grads = jax.value_and_grad(loss, argnums=(0, 1))(z_a, z_b)
    elif BACKEND == "torch":
        import torch

        value = loss(z_a, z_b)
        grads = torch.autograd.grad(value, (z_a, z_b))
    else:
        import tensorflow as tf

        with tf.GradientTape() as tape:
            value = loss(z_a, z_b)
        grads = tape.gradient(value, [z_a, z_b])
    as_np = lambda x: np.asarray(keras.ops.convert_to_numpy(x), np.float64)
    return as_np(value), [as_np(g) for g in grads]


class GpuKernelTest(TestCase):
    @parameterized.parameters((1000, 128, 0.05), (4096, 128, 0.5), (333, 64, 5.0), (2048, 256, 0.1))
    def test_default_path_matches_float64_oracle(self, n, d, temperature):
        z_a, z_b = random_normal((n, d), seed=n), random_normal((n, d), seed=n + 1)
        value, (g_a, g_b) = value_and_grad(on_gpu(z_a), on_gpu(z_b), temperature)
        loss, o_a, o_b, _ = nt_xent_numpy(z_a, z_b, temperature)
        self.assertAllClose(value, loss, atol=1e-5, rtol=1e-5)
        scale = max(np.abs(o_a).max(), np.abs(o_b).max())
        self.assertAllClose(g_a, o_a, atol=1e-5 * scale, rtol=1e-4)
        self.assertAllClose(g_b, o_b, atol=1e-5 * scale, rtol=1e-4)

    @pytest.mark.skipif(BACKEND == "tensorflow", reason="TensorFlow runs the XLA tiles")
    def test_the_gpu_kernel_is_the_default(self):
        z = on_gpu(random_normal((256, 128), seed=3))
        name = {"jax": "pallas", "torch": "triton"}[BACKEND]
        self.assertAllClose(kernels.nt_xent(z, z, 0.5), kernels.nt_xent(z, z, 0.5, implementation=name), atol=0)
        self.assertAllClose(kernels.nt_xent(z, z, 0.5), np.log(511.0), atol=1e-5)

    @parameterized.parameters(0.1, 0.5, 5.0)
    def test_tf32_stays_within_its_documented_tolerance(self, temperature):
        self.addCleanup(kernels.set_matmul_precision, kernels.matmul_precision())
        kernels.set_matmul_precision("tf32")
        z_a, z_b = random_normal((2048, 128), seed=5), random_normal((2048, 128), seed=6)
        value, (g_a, _) = value_and_grad(on_gpu(z_a), on_gpu(z_b), temperature)
        loss, o_a, _, _ = nt_xent_numpy(z_a, z_b, temperature)
        self.assertAllClose(value, loss, atol=precision.TF32_LOSS_TOLERANCE, rtol=0)
        self.assertAllClose(g_a, o_a, atol=precision.TF32_GRADIENT_TOLERANCE * np.abs(o_a).max(), rtol=0)
