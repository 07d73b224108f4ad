"""The Triton NT-Xent kernels on this CPU: compiled for sm_80 and sm_90 without a GPU (shared
memory, spills), traced by `torch.compile`, and run by Triton's interpreter in a process of
their own (`nt_xent_triton_interpret_test.py`)."""

import importlib.util
import logging
import os
import subprocess
import sys

import keras
import numpy as np
import pytest

from ssl_zoo.kernels import gpu_tiles
from ssl_zoo.testing.test_case import TestCase
from ssl_zoo.testing.test_case import random_normal

RUNS = keras.config.backend() == "torch" and importlib.util.find_spec("triton") is not None
pytestmark = pytest.mark.skipif(not RUNS, reason="Triton kernels are PyTorch's; needs triton")

if RUNS:
    import torch
    from torch._dynamo.backends.common import aot_autograd
    from torch._functorch.aot_autograd import make_boxed_func
    from torch._higher_order_ops.triton_kernel_wrap import kernel_side_table

    from ssl_zoo.kernels.torch import nt_xent_triton
    from ssl_zoo.kernels.torch import triton_report

INTERPRET_TESTS = os.path.join(os.path.dirname(__file__), "nt_xent_triton_interpret_test.py")


class TritonCompileTest(TestCase):
    def check_within_limits(self, report):
        self.assertLessEqual(report["shared_bytes"], report["shared_limit"], report)
        self.assertEqual(report["stack_bytes"], 0, report)  # a spill needs a stack frame
        self.assertLessEqual(report["registers"], 255, report)

    def test_projection_width_128_compiles_for_sm80_and_sm90_within_limits(self):
        # SimCLR's D = 128 under the default policy; every configuration is the large test below.
        for case in triton_report.configurations(widths=[128]):
            if case[2] == "highest":
                self.check_within_limits(triton_report.compile_report(*case))

    @pytest.mark.large
    def test_every_configuration_compiles_for_sm80_and_sm90_within_limits(self):
        for case in triton_report.configurations():
            self.check_within_limits(triton_report.compile_report(*case))


class TritonTraceTest(TestCase):
    def test_torch_compile_traces_both_kernels_into_its_graphs(self):
        # AOTAutograd's forward and backward graphs are captured and not run (no GPU here):
        # each compiled graph returns zeros of its outputs' shapes.
        graphs = {}

        def capture(kind):
            def compile_graph(gm, example_inputs):
                graphs[kind] = gm
                (outputs,) = [node.args[0] for node in gm.graph.nodes if node.op == "output"]
                metas = [getattr(o, "meta", {}).get("val") for o in outputs]
                return make_boxed_func(
                    lambda *args: [None if m is None else torch.zeros(m.shape, dtype=m.dtype) for m in metas]
                )

            return compile_graph

        backend = aot_autograd(fw_compiler=capture("forward"), bw_compiler=capture("backward"))
        loss = torch.compile(nt_xent_triton.nt_xent_triton, fullgraph=True, backend=backend)
        z_a = torch.tensor(random_normal((20, 8), seed=1), requires_grad=True)
        z_b = torch.tensor(random_normal((20, 8), seed=2), requires_grad=True)
        t = torch.tensor(0.3, requires_grad=True)
        # Without a driver Triton can't say which buffers a kernel writes; torch then assumes
        # all of them and logs why.
        logger = logging.getLogger("torch._higher_order_ops.triton_kernel_wrap")
        self.addCleanup(logger.setLevel, logger.level)
        logger.setLevel(logging.ERROR)
        torch.autograd.grad(loss(z_a, z_b, t), (z_a, z_b, t))
        self.assertEqual(self.kernels_in(graphs["forward"]), ["lse_kernel"])
        self.assertEqual(self.kernels_in(graphs["backward"]), ["apply_h_kernel"])

    @staticmethod
    def kernels_in(gm):
        return [
            kernel_side_table.get_kernel(node.kwargs["kernel_idx"]).fn.__name__
            for node in gm.graph.nodes
            if "triton_kernel_wrapper" in str(node.target)
        ]


class TritonInterpretProcessTest(TestCase):
    def test_interpreted_kernels_match_float64_oracle(self):
        env = dict(os.environ, TRITON_INTERPRET="1", KERAS_BACKEND="torch")
        result = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", INTERPRET_TESTS],
            env=env, capture_output=True, text=True, timeout=600,
        )
        self.assertEqual(result.returncode, 0, result.stdout[-4000:] + result.stderr[-2000:])
        self.assertNotIn("skipped", result.stdout.splitlines()[-1])


class TritonDispatchTest(TestCase):
    def test_cpu_tensors_run_the_torch_tiles_and_say_so_when_triton_is_asked_for(self):
        from ssl_zoo import kernels

        z = np.ones((4, 8), "float32")
        for z_a in (z, torch.tensor(z)):
            with self.assertRaisesRegex(
                ValueError,
                r"implementation='triton' can't run: z_a is on cpu.* and the Triton kernel needs "
                r"CUDA tensors. For these inputs implementation=None or 'fused' runs the tiled "
                r"PyTorch kernel of ssl_zoo/kernels/torch/nt_xent_fused.py",
            ):
                kernels.nt_xent(z_a, z_a, 0.5, implementation="triton")
        wide = np.ones((4, gpu_tiles.MAX_WIDTH + 1), "float32")
        with self.assertRaisesRegex(ValueError, r"the Triton kernel takes D <= 256 and D=257"):
            kernels.nt_xent(wide, wide, 0.5, implementation="triton")
        self.assertAllClose(kernels.nt_xent(z, z, 0.5), np.log(7.0), atol=1e-6)
