"""SimSiam's loss: each view's prediction against the other view's projection, stopped."""

from ssl_zoo import losses


def simsiam_loss(p_a, p_b, z_a, z_b):
    """`-1/2 mean_i cos(p_a_i, sg(z_b_i)) - 1/2 mean_i cos(p_b_i, sg(z_a_i))`.

    Chen & He 2021, Sec. 3: "L = 1/2 D(p1, stopgrad(z2)) + 1/2 D(p2, stopgrad(z1))" with
    `D(p, z) = -cos(p, z)`. The loss lies in [-1, 1]; -1 at once is the collapse signature.
    No gradient reaches `z_a` or `z_b`.

    Args:
        p_a, p_b: float tensors (B, D). Predictions of views a and b.
        z_a, z_b: float tensors (B, D). Projections of views a and b.

    Returns:
        float32 scalar tensor.
    """
    cos_a, cos_b = losses.cross_view_cosines(p_a, p_b, z_a, z_b)
    return -0.5 * cos_a - 0.5 * cos_b
