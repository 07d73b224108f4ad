"""The checks of two-view losses against their oracles: predictions against stopped targets
(BYOL, SimSiam), and losses of both views' projections (Barlow Twins, VICReg)."""

import keras
import numpy as np

from ssl_zoo.testing.autodiff import value_and_grad
from ssl_zoo.testing.test_case import random_normal


def check_cross_view_loss(test, loss, oracle, n, d, atol):
    """Assert `loss(p_a, p_b, z_a, z_b)` and its gradients equal `oracle`'s, on seeded inputs.

    Args:
        test: the `TestCase` that asserts.
        loss: the op under test, `(p_a, p_b, z_a, z_b) -> scalar`.
        oracle: its float64 NumPy transcription, returning `(loss, d_p_a, d_p_b)`.
        n, d: rows and width of the inputs.
        atol: tolerance of the value and the gradients.

    The gradients with respect to the stopped targets `z_a`, `z_b` must be exactly zero.
    """
    p_a, p_b, z_a, z_b = (random_normal((n, d), seed=s) for s in range(4))

    def traced(p_a, p_b, z_a, z_b):
        unused = 0.0 * keras.ops.sum(z_a + z_b)  # torch and TF need a path to the targets
        return loss(p_a, p_b, z_a, z_b) + unused

    value, (d_p_a, d_p_b, d_z_a, d_z_b) = value_and_grad(traced, p_a, p_b, z_a, z_b)
    expected, expected_d_p_a, expected_d_p_b = oracle(p_a, p_b, z_a, z_b)
    test.assertAllClose(value, expected, atol=atol)
    test.assertAllClose(d_p_a, expected_d_p_a, atol=atol)
    test.assertAllClose(d_p_b, expected_d_p_b, atol=atol)
    test.assertEqual(np.max(np.abs(d_z_a)), 0.0)  # the stop-gradient on the targets
    test.assertEqual(np.max(np.abs(d_z_b)), 0.0)


def check_two_view_loss(test, loss, oracle, n, d, atol, scale=1.0):
    """Assert `loss(z_a, z_b)` and its gradients to both views equal `oracle`'s (Barlow
    Twins, VICReg: no stop-gradient), on seeded inputs `scale` times a standard normal.

    Args:
        oracle: the float64 NumPy transcription, returning `(loss, d_z_a, d_z_b)`.
    """
    z_a, z_b = (random_normal((n, d), seed=s, scale=scale) for s in (5, 6))
    value, (d_z_a, d_z_b) = value_and_grad(loss, z_a, z_b)
    expected, expected_d_z_a, expected_d_z_b = oracle(z_a, z_b)
    test.assertAllClose(value, expected, atol=atol)
    test.assertAllClose(d_z_a, expected_d_z_a, atol=atol)
    test.assertAllClose(d_z_b, expected_d_z_b, atol=atol)
