import math

import keras
import numpy as np
import pytest
from absl.testing import parameterized

from ssl_zoo import kernels
from ssl_zoo.testing.autodiff import value_and_grad
from ssl_zoo.testing.oracles import nt_xent_numpy
from ssl_zoo.testing.test_case import TestCase
from ssl_zoo.testing.test_case import random_normal


class NTXentReferenceTest(TestCase):
    @pytest.mark.filterwarnings("ignore")
    def test_value_and_gradient_match_float64_oracle(self):
        for n, d, temperature in [(1, 3, 0.5), (2, 1, 1.0), (7, 16, 0.1), (64, 128, 0.05)]:
            z_a, z_b = random_normal((n, d), seed=n), random_normal((n, d), seed=n + 100)
            t = np.float32(temperature)
            value, (g_a, g_b, g_t) = value_and_grad(
                lambda a, b, tt: kernels.nt_xent_reference(a, b, tt), z_a, z_b, t
            )
            loss, o_a, o_b, o_t = nt_xent_numpy(z_a, z_b, temperature)
            self.assertAllClose(value, loss, atol=1e-5, rtol=1e-5)
            self.assertAllClose(g_a, o_a, atol=1e-5, rtol=1e-4)
            self.assertAllClose(g_b, o_b, atol=1e-5, rtol=1e-4)
            self.assertAllClose(g_t, o_t, atol=1e-5, rtol=1e-4)

    def test_identical_rows_give_log_2n_minus_1(self):
        for n in [1, 2, 5, 33]:
            z = np.ones((n, 4), "float32")
            self.assertAllClose(kernels.nt_xent(z, z), math.log(2 * n - 1), atol=1e-6)

    def test_single_pair_gives_zero(self):
        # Exactly 0 in real numbers: LSE_i and s_pos(i) are the same logit, cos / T = 7.7
        # here. In float32 they come from different roundings (a tile's product vs a row
        # sum), so they differ by a few ulps of 1 / T, and that magnitude is what this CPU's
        # summation order moves: 1e-6 (two ulps of 7.7) failed on one CI machine. Eight
        # ulps of 1 / T are still far below any wrong convention (log 2 for one extra term).
        z_a, z_b = random_normal((1, 8), seed=1), random_normal((1, 8), seed=2)
        float32_resolution = 8 * np.finfo(np.float32).eps / 0.1
        self.assertAllClose(kernels.nt_xent(z_a, z_b, 0.1), 0.0, atol=float32_resolution)

    def test_symmetric_in_the_views(self):
        z_a, z_b = random_normal((9, 5), seed=3), random_normal((9, 5), seed=4)
        self.assertAllClose(kernels.nt_xent(z_a, z_b), kernels.nt_xent(z_b, z_a), atol=1e-6)

    def test_invariant_to_row_scale(self):
        z_a, z_b = random_normal((6, 5), seed=5), random_normal((6, 5), seed=6)
        self.assertAllClose(
            kernels.nt_xent(z_a * 1e3, z_b), kernels.nt_xent(z_a, z_b), atol=1e-5
        )

    @pytest.mark.filterwarnings("ignore")
    def test_low_precision_inputs_accumulate_in_float32(self):
        z_a, z_b = random_normal((16, 8), seed=7), random_normal((16, 8), seed=8)
        for dtype, atol in [("bfloat16", 3e-2), ("float16", 5e-3)]:
            a = keras.ops.cast(z_a, dtype)
            b = keras.ops.cast(z_b, dtype)
            loss = kernels.nt_xent(a, b, 0.5)
            self.assertEqual(keras.backend.standardize_dtype(loss.dtype), "float32")
            # The oracle sees the same rounded inputs.
            a64 = keras.ops.convert_to_numpy(keras.ops.cast(a, "float32"))
            b64 = keras.ops.convert_to_numpy(keras.ops.cast(b, "float32"))
            self.assertAllClose(loss, nt_xent_numpy(a64, b64, 0.5)[0], atol=1e-5)

    def test_learnable_temperature_gets_gradient(self):
        z_a, z_b = random_normal((8, 4), seed=9), random_normal((8, 4), seed=10)
        _, (_, _, g_t) = value_and_grad(
            lambda a, b, t: kernels.nt_xent(a, b, t), z_a, z_b, np.float32(0.3)
        )
        self.assertAllClose(g_t, nt_xent_numpy(z_a, z_b, 0.3)[3], atol=1e-5, rtol=1e-4)
        self.assertNotEqual(float(g_t), 0.0)


class NTXentBadInputTest(TestCase):
    # The GPU kernels' names too: their argument errors come first, before any kernel runs.
    @parameterized.parameters(None, "pallas", "triton")
    def test_errors_name_the_argument(self, implementation):
        z = np.ones((4, 3), "float32")
        cases = [
            ((np.ones((4,), "float32"), z, 0.5), "z_a must be a rank-2"),
            ((z, np.ones((5, 3), "float32"), 0.5), "same shape"),
            ((np.ones((0, 3), "float32"), np.ones((0, 3), "float32"), 0.5), "N >= 1"),
            ((np.ones((4, 3), "int32"), z, 0.5), "z_a must be a float tensor"),
            ((z, z, 0.0), "temperature must be a finite number > 0"),
            ((z, z, float("nan")), "temperature must be a finite number > 0"),
            ((z, z, np.float32(-1.0)), "Received: temperature=-1.0"),
            ((z, z, "0.5"), "temperature must be a number > 0 or a scalar float tensor"),
            ((z, np.full((4, 3), np.nan, "float32"), 0.5), "z_b contains NaN"),
        ]
        for args, message in cases:
            with self.assertRaisesRegex(ValueError, message):
                kernels.nt_xent(*args, implementation=implementation)

    def test_unknown_implementation(self):
        z = np.ones((2, 3), "float32")
        with self.assertRaisesRegex(ValueError, "implementation must be None"):
            kernels.nt_xent(z, z, implementation="flash")


class NTXentArrayLikeTest(TestCase):
    def test_nested_lists_are_projections(self):
        # Identical rows: every anchor's positive ties its 2N - 2 negatives, loss log(2N - 1).
        z = [[1.0, 0.0], [1.0, 0.0]]
        for implementation in (None, "reference"):
            self.assertAllClose(kernels.nt_xent(z, z, 0.5, implementation), math.log(3), atol=1e-6)
        self.assertAllClose(kernels.nt_xent_reference(z, [[1, 0], [1, 0]]), math.log(3), atol=1e-6)

    def test_numpy_scalar_temperatures_are_numbers(self):
        z_a, z_b = random_normal((3, 4), seed=1), random_normal((3, 4), seed=2)
        expected = nt_xent_numpy(z_a, z_b, 0.25)[0]
        for temperature in (np.float16(0.25), np.float32(0.25), np.float64(0.25)):
            self.assertAllClose(kernels.nt_xent(z_a, z_b, temperature), expected, atol=1e-5)

    def test_what_is_not_a_number_or_a_tensor_is_refused(self):
        z = np.ones((2, 3), "float32")
        for temperature, received in (("0.5", "temperature='0.5' of type str"), (None, "temperature=None"),
                                      ([0.5], r"temperature=\[0.5\] of type list")):
            with self.assertRaisesRegex(ValueError, "temperature must be a number > 0 or a scalar float tensor. "
                                                    f"Received: {received}"):
                kernels.nt_xent(z, z, temperature)
        with self.assertRaisesRegex(ValueError, "z_b must be a float tensor .* or a nested list of numbers"):
            kernels.nt_xent(z, [[1.0, 2.0], [3.0]])
