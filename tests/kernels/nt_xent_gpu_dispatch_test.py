"""Asking for a GPU kernel by name: the usual argument errors first, then, where the kernel
can't run, an error naming the path that would."""

import keras
import numpy as np
import pytest

from ssl_zoo import kernels
from ssl_zoo.testing.devices import has_gpu
from ssl_zoo.testing.test_case import TestCase

BACKEND = keras.config.backend()


class GpuRequestTest(TestCase):
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
