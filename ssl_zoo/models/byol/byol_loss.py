"""BYOL's loss: each view's prediction regressed on the target's projection of the other view."""

from ssl_zoo import losses


def byol_loss(p_a, p_b, z_a, z_b):
    """`mean_i l(p_a_i, z_b_i) + mean_i l(p_b_i, z_a_i)`, `l(p, z) = 2 - 2 cos(p, sg(z))`.

    Grill et al. 2020, Sec. 3.1: "we symmetrize the loss ... by separately feeding v'
    to the online network and v to the target network". `2 - 2 cos` is the squared distance
    of the L2-normalized vectors; the two view orders are summed, so the loss lies in [0, 8].
    No gradient reaches `z_a` or `z_b` (the target's projections).

    Args:
        p_a, p_b: float tensors (B, D). Online predictions of views a and b.
        z_a, z_b: float tensors (B, D). Target projections of views a and b.

    Returns:
        float32 scalar tensor.
    """
    cos_a, cos_b = losses.cross_view_cosines(p_a, p_b, z_a, z_b)
    return (2.0 - 2.0 * cos_a) + (2.0 - 2.0 * cos_b)
