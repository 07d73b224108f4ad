"""Asking for a GPU kernel by name: the usual argument errors first, then, where the kernel
can't run, an error naming the path that would."""

import keras
import numpy as np
import pytest
from absl.testing import parameterized

from ssl_zoo import kernels
from ssl_zoo.testing.test_case import TestCase

BACKEND = keras.config.backend()


def has_gpu():
    if BACKEND == "jax":
        import jax

        return jax.default_backend() == "gpu"
    if BACKEND == "torch":
        import torch

        return torch.cuda.is_available()
    import tensorflow as tf

    return bool(tf.config.list_physical_devices("GPU"))


class GpuRequestTest(TestCase):
    @parameterized.parameters("pallas", "triton")
    def test_bad_inputs_raise_the_usual_errors_before_any_kernel(self, implementation):
        z = np.ones((4, 3), "float32")
        cases = [
            ((np.ones((4,), "float32"), z, 0.5), "z_a must be a rank-2"),
            ((z, np.ones((5, 3), "float32"), 0.5), "same shape"),
            ((np.ones((0, 3), "float32"), np.ones((0, 3), "float32"), 0.5), "N >= 1"),
            ((np.ones((4, 3), "int32"), z, 0.5), "z_a must be a float tensor"),
            ((z, z, 0.0), "temperature must be a finite number > 0"),
            ((z, z, "0.5"), "temperature must be a number > 0 or a scalar float tensor"),
            ((z, np.full((4, 3), np.nan, "float32"), 0.5), "z_b contains NaN"),
        ]
        for args, message in cases:
            with self.assertRaisesRegex(ValueError, message):
                kernels.nt_xent(*args, implementation=implementation)

    def test_unknown_implementation_lists_the_gpu_kernels(self):
        z = np.ones((2, 3), "float32")
        with self.assertRaisesRegex(ValueError, "None, 'reference', 'fused', 'pallas' or 'triton'"):
            kernels.nt_xent(z, z, implementation="cuda")

    def test_another_backends_kernel_names_this_backends(self):
        other = {"jax": "triton", "torch": "pallas", "tensorflow": "pallas"}[BACKEND]
        expected = {
            "jax": r"'triton' is the torch backend's GPU kernel; on jax the GPU kernel is 'pallas'",
            "torch": r"'pallas' is the jax backend's GPU kernel; on torch the GPU kernel is 'triton'",
            "tensorflow": (
                r"'pallas' is the jax backend's GPU kernel; on tensorflow, implementation=None or "
                r"'fused' runs the XLA tiles of ssl_zoo/kernels/triangle.py on CPUs and GPUs alike"
            ),
        }[BACKEND]
        z = np.ones((4, 3), "float32")
        with self.assertRaisesRegex(ValueError, expected):
            kernels.nt_xent(z, z, implementation=other)

    @pytest.mark.skipif(BACKEND != "jax" or has_gpu(), reason="JAX without a GPU")
    def test_pallas_without_a_gpu_says_the_xla_tiles_would_run(self):
        z = np.ones((4, 3), "float32")
        with self.assertRaisesRegex(
            ValueError,
            r"implementation='pallas' can't run: JAX runs on cpu here and the Pallas kernel needs "
            r"a GPU. For these inputs implementation=None or 'fused' runs the XLA tiles of "
            r"ssl_zoo/kernels/triangle.py.",
        ):
            kernels.nt_xent(z, z, implementation="pallas")
        self.assertAllClose(kernels.nt_xent(z, z), kernels.nt_xent(z, z, implementation="fused"), atol=0)
