"""VICReg's loss: invariance, variance and covariance of the two views' projections."""

import keras

from ssl_zoo.losses import batch_statistics

EPSILON = 1e-4  # inside the standard deviation's square root, as the official code


def vicreg_loss(z_a, z_b, invariance_weight=25.0, variance_weight=25.0, covariance_weight=1.0):
    """`invariance_weight * s + variance_weight * v + covariance_weight * c`, as the official code.

    Bardes, Ponce & LeCun 2022, Eq. 1 - 6, as facebookresearch/vicreg `main_vicreg.py`
    computes them over a batch of `N` rows and `D` dimensions:

    - invariance `s`: the mean squared error of `z_a` and `z_b` over all `N x D` entries;
    - variance `v`: `mean_j relu(1 - std_j) / 2` for each view, summed, with
      `std_j = sqrt(var_j + 1e-4)` and the unbiased variance of dimension `j`;
    - covariance `c`: `sum_{i != j} Cov_ij^2 / D` for each view, summed, with
      `Cov = z_c^T z_c / (N - 1)` of the centered `z_c`.

    Weights 25 / 25 / 1 (the paper's lambda, mu, nu). Pass the projections of every replica
    (`distribution.gather_replicas`): the official code gathers them for the variance and
    covariance, and the invariance over the global batch is the mean of its replicas' terms.

    Args:
        z_a, z_b: float tensors (N, D), N >= 2. Projections of views a and b, row `i` of
            each from image `i`.
        invariance_weight, variance_weight, covariance_weight: floats >= 0.

    Returns:
        float32 scalar tensor.
    """
    z_a, z_b = batch_statistics.check_views(z_a, z_b, "VICReg")
    invariance = keras.ops.mean(keras.ops.square(z_a - z_b))
    variance = _variance_hinge(z_a) + _variance_hinge(z_b)
    covariance = _covariance_term(z_a) + _covariance_term(z_b)
    return invariance_weight * invariance + variance_weight * variance + covariance_weight * covariance


def _centered(z):
    return z - keras.ops.mean(z, axis=0)


def _variance_hinge(z):
    n = batch_statistics.batch_rows(z)
    variance = keras.ops.sum(keras.ops.square(_centered(z)), axis=0) / (n - 1.0)
    return keras.ops.mean(keras.ops.relu(1.0 - keras.ops.sqrt(variance + EPSILON))) / 2.0


def _covariance_term(z):
    centered = _centered(z)
    covariance = keras.ops.matmul(keras.ops.transpose(centered), centered) / (batch_statistics.batch_rows(z) - 1.0)
    return batch_statistics.off_diagonal_squares(covariance) / z.shape[-1]
