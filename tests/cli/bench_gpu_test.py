import argparse
from unittest import mock

import keras
import numpy as np

from ssl_zoo.cli import bench
from ssl_zoo.cli import bench_gpu
from ssl_zoo.testing.devices import has_gpu
from ssl_zoo.testing.test_case import TestCase


class BenchGpuTest(TestCase):
    def run_cases(self, backend, n, device="gpu", precision=None):
        """The cases `ssl-zoo bench nt-xent` would run, each answered with 1 s and 1 MiB."""
        calls = []

        def fake_case(name, case, n, args):
            calls.append((case, n, args.device, args.precision))
            return {"median_s": 1.0, "peak_extra_mib": 1.0, "rss_extra_mib": 1.0}

        args = argparse.Namespace(backend=backend, n=n, d=128, repeats=1, json=True, device=device, precision=precision)
        with mock.patch.object(bench, "_run_case", fake_case), mock.patch("builtins.print"):
            bench.run(args)
        return calls

    def test_gpu_cases_per_backend(self):
        self.assertEqual([c[0] for c in self.run_cases("jax", [4096])], ["roofline", "pallas", "fused", "reference"])
        self.assertEqual([c[0] for c in self.run_cases("tensorflow", [65536])], ["roofline", "fused"])
        torch_cases = [c[0] for c in self.run_cases("torch", [65536], precision="tf32")]
        self.assertEqual(torch_cases[:2], ["roofline", "triton"])
        self.assertNotIn("fused", torch_cases)  # the Python tile loop past TORCH_TILES_GPU_LIMIT
        self.assertEqual({c[3] for c in self.run_cases("torch", [4096], precision="tf32")}, {"tf32"})

    def test_gpu_default_sizes_run_from_4096_to_262144(self):
        sizes = sorted({c[1] for c in self.run_cases("tensorflow", None)})
        self.assertEqual(sizes, [4096, 8192, 16384, 32768, 65536, 131072, 262144])
        self.assertEqual(sorted({c[1] for c in self.run_cases("tensorflow", None, device="cpu")}), list(bench.DEFAULT_N))

    def test_without_a_gpu_the_case_says_so(self):
        if has_gpu():
            self.skipTest("this machine has a GPU")
        z = np.ones((4, 8), "float32")
        with self.assertRaisesRegex(SystemExit, f"ssl-zoo bench --device gpu: {keras.config.backend()} sees no GPU"):
            bench_gpu.step("fused", z, z)
