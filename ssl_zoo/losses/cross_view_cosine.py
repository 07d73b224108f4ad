"""The cosines of one view's predictions with the other view's stopped targets (BYOL, SimSiam)."""

import keras

from ssl_zoo.kernels import reference


def cross_view_cosines(p_a, p_b, z_a, z_b):
    """`(mean_i cos(p_a_i, sg z_b_i), mean_i cos(p_b_i, sg z_a_i))`, in float32.

    The pairs BYOL and SimSiam regress: each view's prediction on the other view's target
    (BYOL's target projection, SimSiam's own projection), under a stop-gradient, so no
    gradient reaches `z_a` or `z_b`. Rows are normalized with a squared-norm floor
    (`reference.normalize_rows`): an all-zero prediction (a dead ReLU layer in a small head)
    has cosine 0 and a finite gradient, where `x / max(|x|, eps)` differentiates `|x|` at 0.

    Args:
        p_a, p_b: float tensors (B, D). Predictions of views a and b.
        z_a, z_b: float tensors (B, D). Targets of views a and b.

    Returns:
        Two float32 scalar tensors.
    """
    def mean_cosine(p, z):
        p = reference.normalize_rows(keras.ops.cast(p, "float32"))
        z = reference.normalize_rows(keras.ops.stop_gradient(keras.ops.cast(z, "float32")))
        return keras.ops.mean(keras.ops.sum(p * z, axis=-1))

    return mean_cosine(p_a, z_b), mean_cosine(p_b, z_a)
