import math
from unittest import mock

import keras
import numpy as np
import pytest
from absl.testing import parameterized

from ssl_zoo import kernels
from ssl_zoo.kernels import backend
from ssl_zoo.kernels import reference
from ssl_zoo.testing.autodiff import value_and_grad
from ssl_zoo.testing.oracles import info_nce_numpy
from ssl_zoo.testing.test_case import TestCase
from ssl_zoo.testing.test_case import random_normal

FUSED = getattr(backend.module(), "info_nce_fused", None)
needs_fused = pytest.mark.skipif(
    FUSED is None, reason=f"no fused InfoNCE kernel on {keras.config.backend()} yet"
)


def fused(block_size=None):
    def op(q, k, n, t, batch_negatives):
        return FUSED(q, k, n, t, block_size=block_size, batch_negatives=batch_negatives)

    return op


def reference_op(q, k, n, t, batch_negatives):
    return kernels.info_nce(q, k, n, t, implementation="reference", batch_negatives=batch_negatives)


def inputs(n, k, d, seed=0):
    """(queries, keys, negatives or None): seeded normal rows."""
    negatives = random_normal((k, d), seed=seed + 2) if k else None
    return random_normal((n, d), seed=seed), random_normal((n, d), seed=seed + 1), negatives


def values_and_grads(op, queries, keys, negatives, temperature, batch_negatives=True):
    """(loss, [d_queries, d_keys, d_negatives, d_temperature]); d_negatives (0, D) for None.

    The reference is compiled whole on JAX; the fused kernel is a jitted op already, and its
    compilation is shared by the tests that use the same shapes, tiles and `batch_negatives`.
    """
    t, jit = np.float32(temperature), op is reference_op
    if negatives is not None:
        step = lambda q, k, n, t: op(q, k, n, t, batch_negatives)
        return value_and_grad(step, queries, keys, negatives, t, jit=jit)
    step = lambda q, k, t: op(q, k, None, t, batch_negatives)
    value, (g_q, g_k, g_t) = value_and_grad(step, queries, keys, t, jit=jit)
    return value, [g_q, g_k, np.zeros((0, queries.shape[1])), g_t]


class InfoNCEOracleTest(TestCase):
    def assertMatchesOracle(self, value, grads, expected, atol=1e-5):
        loss, *oracle_grads = expected
        self.assertAllClose(value, loss, atol=atol, rtol=1e-5)
        scale = max(np.abs(g).max(initial=0.0) for g in oracle_grads[:3])
        for name, g, o in zip(("queries", "keys", "negatives"), grads[:3], oracle_grads[:3]):
            self.assertAllClose(g, o, atol=max(atol * scale, 1e-7), rtol=1e-4, msg=f"d_{name}")
        self.assertAllClose(grads[3], oracle_grads[3], atol=atol * max(1.0, abs(oracle_grads[3])),
                            rtol=1e-4, msg="d_temperature")

    # (N, K, D, temperature, block_size, batch_negatives): K = 0 is negatives=None. (7, 13) in
    # (3, 4) tiles pads the queries and runs a loop of whole chunks and a narrower last chunk of
    # keys and of the bank; the default tiles take (33, 70) in one chunk each. (5, 6) in (2, 3)
    # tiles pads the queries and runs a bank of whole chunks only. batch_negatives=False skips
    # the keys' walk: the positive's logit starts each query's LSE. Other tests reuse these
    # shapes and tiles, so JAX compiles each once.
    @parameterized.parameters(
        (5, 0, 4, 0.05, (2, 3), True), (7, 13, 20, 5.0, (3, 4), True), (33, 70, 16, 0.1, None, True),
        (5, 6, 4, 0.05, (2, 3), False), (7, 13, 20, 5.0, (3, 4), False), (33, 70, 16, 0.1, None, False),
    )
    def test_fused_and_reference_match_float64_oracle(
        self, n, k, d, temperature, block_size, batch_negatives
    ):
        self.check_against_oracle(n, k, d, temperature, block_size, batch_negatives)

    @pytest.mark.large  # four more compilations, about 20 s on JAX and TensorFlow
    def test_whole_query_blocks_and_key_chunks_and_a_single_query(self):
        # (48, 300) in (16, 24) tiles: no padding, keys in whole chunks only, 12 whole bank
        # chunks and a narrower last one. One query and no bank: a softmax over one logit; one
        # query and a bank without the batch's keys.
        for batch_negatives in (True, False):
            self.check_against_oracle(48, 300, 32, 1.0, (16, 24), batch_negatives)
        self.check_against_oracle(1, 0, 3, 0.5, None, True)
        self.check_against_oracle(1, 5, 3, 0.5, None, False)

    def check_against_oracle(self, n, k, d, temperature, block_size, batch_negatives):
        q, keys, negatives = inputs(n, k, d, seed=n + k)
        expected = info_nce_numpy(q, keys, negatives, temperature, batch_negatives)
        implementations = [("reference", reference_op)] + ([("fused", fused(block_size))] if FUSED else [])
        for name, op in implementations:
            with self.subTest(name):
                results = values_and_grads(op, q, keys, negatives, temperature, batch_negatives)
                self.assertMatchesOracle(*results, expected)

    @needs_fused
    def test_small_temperature_with_orthogonal_rows_is_finite_and_exact(self):
        # Negatives orthogonal to the queries at temperature 0.01: exp(-s) = exp(-100) underflows
        # float32, so the LSE must be taken relative to each tile's own maximum, not to s.
        q = np.eye(7, 20, dtype="float32")
        negatives = np.eye(13, 20, k=7, dtype="float32")
        keys = random_normal((7, 20), seed=1)
        value, grads = values_and_grads(fused((3, 4)), q, keys, negatives, 0.01)
        self.assertTrue(np.isfinite(value) and all(np.all(np.isfinite(g)) for g in grads))
        self.assertMatchesOracle(value, grads, info_nce_numpy(q, keys, negatives, 0.01), atol=1e-4)

    @parameterized.product((dict(dtype="bfloat16", atol=5e-2), dict(dtype="float16", atol=5e-3)),
                           batch_negatives=(True, False))
    def test_low_precision_inputs_accumulate_in_float32(self, dtype, atol, batch_negatives):
        q, keys, negatives = (keras.ops.cast(x, dtype) for x in inputs(7, 13, 20, seed=3))
        # The oracle sees the same rounded inputs.
        rounded = [np.asarray(keras.ops.convert_to_numpy(keras.ops.cast(x, "float32"))) for x in (q, keys, negatives)]
        loss, *oracle_grads = info_nce_numpy(*rounded, 0.2, batch_negatives)
        value = reference_op(q, keys, negatives, 0.2, batch_negatives)
        self.assertEqual(keras.backend.standardize_dtype(value.dtype), "float32")
        self.assertAllClose(value, loss, atol=1e-5)
        if FUSED:
            value, grads = values_and_grads(fused((3, 4)), q, keys, negatives, 0.2, batch_negatives)
            self.assertAllClose(value, loss, atol=1e-5)
            for g, o in zip(grads, oracle_grads):  # gradients come back in the inputs' dtype
                self.assertAllClose(g, o, atol=atol * np.abs(o).max(), rtol=0)


class InfoNCEFixedPointsTest(TestCase):
    # The reference's own values are checked against the oracle above; these run what
    # implementation=None picks, at shapes the other tests compile already.
    def test_exact_values(self):
        # Identical rows: every logit ties, loss log(N + K), or log(1 + K) without the batch's keys.
        ones, bank = np.ones((7, 20), "float32"), np.ones((13, 20), "float32")
        self.assertAllClose(kernels.info_nce(ones, ones, bank, 0.5), math.log(20), atol=1e-6)
        self.assertAllClose(kernels.info_nce(ones, ones, bank, 0.5, batch_negatives=False), math.log(14), atol=1e-6)
        # One query and its key, no bank: a softmax over one logit.
        q, keys, _ = inputs(1, 0, 6, seed=4)
        self.assertAllClose(kernels.info_nce(q, keys, None, 0.1), 0.0, atol=1e-6)
        # Nested lists are rows; NumPy scalars are temperatures.
        z = [[1.0, 0.0], [0.0, 1.0]]
        expected = info_nce_numpy(np.array(z), np.array(z), None, 0.5)[0]
        self.assertAllClose(kernels.info_nce(z, z, None, np.float64(0.5)), expected, atol=1e-6)

    def test_invariant_to_row_scale(self):
        q, keys, negatives = inputs(33, 70, 16, seed=5)
        expected = info_nce_numpy(q, keys, negatives, 0.3)[0]
        self.assertAllClose(kernels.info_nce(q * 1e3, keys * 1e-2, negatives * 7.0, 0.3), expected, atol=1e-5)


@needs_fused
class InfoNCEFusedTest(TestCase):
    @parameterized.parameters(True, False)
    def test_dispatcher_picks_fused_by_default(self, batch_negatives):
        q, keys, negatives = inputs(33, 70, 16, seed=7)
        default = kernels.info_nce(q, keys, negatives, 0.2, batch_negatives=batch_negatives)
        fused_value = kernels.info_nce(q, keys, negatives, 0.2, "fused", batch_negatives)
        self.assertAllClose(default, fused_value, atol=0)
        self.assertAllClose(default, info_nce_numpy(q, keys, negatives, 0.2, batch_negatives)[0], atol=1e-5)

    @parameterized.parameters(True, False)  # outermost, so each test keeps the marks
    @pytest.mark.skipif(keras.config.backend() == "torch", reason="torch.compile: see the next test")
    def test_under_compilation(self, batch_negatives):
        q, keys, negatives = inputs(33, 70, 16, seed=9)
        loss, o_q, _, o_n, _ = info_nce_numpy(q, keys, negatives, 0.2, batch_negatives)
        op = lambda a, b, c: FUSED(a, b, c, 0.2, block_size=(16, 24), batch_negatives=batch_negatives)
        if keras.config.backend() == "jax":
            import jax

            step = jax.jit(jax.value_and_grad(lambda a, c: op(a, keys, c), argnums=(0, 1)))
            results = [step(q, negatives)]
        else:
            import tensorflow as tf

            def step(a, b, c):
                with tf.GradientTape() as tape:
                    tape.watch([a, c])
                    value = op(a, b, c)
                return value, tape.gradient(value, [a, c])

            # Keras traces train_step with an unknown batch size: the kernel must too (the keys
            # and the bank are then padded and masked).
            results = []
            for rows in ([None, 16], [33, 16]):
                for jit_compile in (False, True):
                    specs = [tf.TensorSpec(rows, tf.float32)] * 2 + [tf.TensorSpec([None, 16], tf.float32)]
                    traced = tf.function(step, input_signature=specs, jit_compile=jit_compile)
                    results.append(traced(*(tf.constant(x) for x in (q, keys, negatives))))
        for value, (g_q, g_n) in results:
            self.assertAllClose(value, loss, atol=1e-5)
            self.assertAllClose(g_q, o_q, atol=1e-5)
            self.assertAllClose(g_n, o_n, atol=1e-5)

    @parameterized.parameters(True, False)
    @pytest.mark.large  # about 20 s on two loaded CPU cores: torch.compile unrolls the tile loops
    @pytest.mark.skipif(keras.config.backend() != "torch", reason="torch.compile")
    def test_under_torch_compile(self, batch_negatives):
        import torch

        q, keys, negatives = inputs(33, 70, 16, seed=9)
        loss, o_q, _, o_n, _ = info_nce_numpy(q, keys, negatives, 0.2, batch_negatives)
        a, c = torch.tensor(q, requires_grad=True), torch.tensor(negatives, requires_grad=True)
        op = lambda a, b, c: FUSED(a, b, c, 0.2, batch_negatives=batch_negatives)
        value = torch.compile(op)(a, torch.tensor(keys), c)
        g_q, g_n = torch.autograd.grad(value, (a, c))
        self.assertAllClose(value, loss, atol=1e-5)
        self.assertAllClose(g_q, o_q, atol=1e-5)
        self.assertAllClose(g_n, o_n, atol=1e-5)

    @parameterized.parameters(True, False)
    @pytest.mark.large
    def test_default_tiles_at_scale(self, batch_negatives):
        q, keys, negatives = inputs(1100, 5000, 128, seed=11)
        value, grads = values_and_grads(fused(), q, keys, negatives, 0.07, batch_negatives)
        loss, *oracle_grads = info_nce_numpy(q, keys, negatives, 0.07, batch_negatives)
        self.assertAllClose(value, loss, atol=1e-5, rtol=1e-5)
        for g, o in zip(grads, oracle_grads):
            self.assertAllClose(g, o, atol=1e-5 * np.abs(o).max(), rtol=1e-4)


class InfoNCEBadInputTest(TestCase):
    def test_errors_name_the_argument_and_come_before_any_kernel(self):
        z = np.ones((4, 3), "float32")
        cases = [
            ((z, np.ones((5, 3), "float32"), None, 0.5), r"queries and keys must have the same shape \(N, D\): key i"),
            ((z, np.ones((4, 2), "float32"), None, 0.5), r"Received: queries.shape=\(4, 3\), keys.shape=\(4, 2\)"),
            ((np.ones((0, 3), "float32"),) * 2 + (None, 0.5), "N >= 1"),
            ((z, z, np.ones((6, 4), "float32"), 0.5), r"negatives must have the queries' width D=3 .*Received: negatives.shape=\(6, 4\)"),
            ((z, z, np.ones((6,), "float32"), 0.5), "negatives must be a rank-2"),
            ((np.ones((4, 3), "int32"), z, None, 0.5), "queries must be a float tensor .*Received: queries.dtype=int32"),
            ((z, z, np.ones((6, 3), "int32"), 0.5), "negatives must be a float tensor"),
            ((z, z, None, 0.0), "temperature must be a finite number > 0. Received: temperature=0.0"),
            ((z, z, None, np.float32(-1.0)), "Received: temperature=-1.0"),
            ((z, z, None, float("nan")), "temperature must be a finite number > 0"),
            ((z, z, None, "0.5"), "temperature must be a number > 0 or a scalar float tensor"),
            ((z, z, np.full((2, 3), np.nan, "float32"), 0.5), "negatives contains NaN"),
            ((z, [[1.0, 2.0], [3.0]], None, 0.5), "keys must be a float tensor .* or a nested list"),
            ((z, z, [[1.0, 2.0], [3.0]], 0.5), "negatives must be a float tensor .* or a nested list"),
            # A fifth argument is batch_negatives.
            ((z, z, z, 0.5, 1), "batch_negatives must be True .* or False .*Received: batch_negatives=1$"),
            ((z, z, z, 0.5, "no"), "batch_negatives must be True .*Received: batch_negatives='no'"),
            ((z, z, None, 0.5, False), r"batch_negatives=False needs negatives \(K, D\) with K >= 1: .*"
                                       "loss is 0.*Received: batch_negatives=False, negatives=None"),
            ((z, z, np.ones((0, 3), "float32"), 0.5, False),
             r"Received: batch_negatives=False, negatives.shape=\(0, 3\)"),
        ]
        kernel_ran = AssertionError("a kernel ran before the arguments were checked")
        with mock.patch.object(reference, "info_nce_reference", side_effect=kernel_ran), \
                mock.patch.object(backend.module(), "info_nce_fused", side_effect=kernel_ran, create=True):
            for args, message in cases:
                args, flag = args[:4], dict(zip(["batch_negatives"], args[4:]))
                for implementation in (None, "reference", "fused"):
                    with self.subTest(message=message, implementation=implementation):
                        with self.assertRaisesRegex(ValueError, message):
                            kernels.info_nce(*args, implementation=implementation, **flag)
                with self.assertRaisesRegex(ValueError, message):
                    kernels.info_nce_reference(*args, **flag)

    def test_unknown_implementation_and_bad_tiles(self):
        z = np.ones((2, 3), "float32")
        with self.assertRaisesRegex(ValueError, "implementation must be None, 'reference' or 'fused'. "
                                                "Received: implementation='triton'"):
            kernels.info_nce(z, z, implementation="triton")
        if FUSED:
            for block_size in (0, (4,), (4, 0), 2.5):
                with self.assertRaisesRegex(ValueError, "block_size must be an int >= 1"):
                    FUSED(z, z, None, 0.5, block_size=block_size)
