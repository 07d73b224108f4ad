"""Barlow Twins' loss: the cross-correlation of the two views' projections, pushed to identity."""

import keras

from ssl_zoo.losses import batch_statistics

EPSILON = 1e-5  # the official code's BatchNorm1d(affine=False) default


def barlow_twins_loss(z_a, z_b, redundancy_weight=0.0051, loss_scale=1.0):
    """`loss_scale * (sum_i (1 - C_ii)^2 + redundancy_weight * sum_{i != j} C_ij^2)`.

    Zbontar et al. 2021, Eq. 1 and Alg. 1: each dimension of each view standardized over
    the batch, `z~ = (z - mean) / sqrt(var + 1e-5)` with the biased variance (the official
    code's `BatchNorm1d(affine=False)`, whose epsilon this keeps), and the cross-correlation
    `C = z~_a^T z~_b / N` `(D, D)`. The invariance term pulls `C_ii` to 1, the redundancy
    term pushes `C_ij` to 0. `loss_scale` multiplies both, as solo-learn's `scale_loss`
    (0.1 in its CIFAR recipe; 1 in the paper). Pass the projections of every replica
    (`distribution.gather_replicas`): the statistics are the global batch's, as the
    official code's all-reduce of `C` makes them.

    Args:
        z_a, z_b: float tensors (N, D), N >= 2. Projections of views a and b, row `i` of
            each from image `i`.
        redundancy_weight: float >= 0. `lambda` of the paper, 0.0051 (about 1 / D for its
            D = 8192; the paper found the loss insensitive to it within a factor of 10).
        loss_scale: float > 0. Multiplies the loss.

    Returns:
        float32 scalar tensor, 0 when `C` is the identity.
    """
    z_a, z_b = batch_statistics.check_views(z_a, z_b, "Barlow Twins")
    n = batch_statistics.batch_rows(z_a)
    c = keras.ops.matmul(keras.ops.transpose(_standardized(z_a)), _standardized(z_b)) / n
    on_diagonal = keras.ops.sum(keras.ops.square(keras.ops.diagonal(c) - 1.0))
    return loss_scale * (on_diagonal + redundancy_weight * batch_statistics.off_diagonal_squares(c))


def _standardized(z):
    centered = z - keras.ops.mean(z, axis=0)
    return centered * keras.ops.rsqrt(keras.ops.mean(keras.ops.square(centered), axis=0) + EPSILON)
