"""BYOL's loss: each view's prediction regressed on the target's projection of the other view."""

from ssl_zoo import losses


def byol_loss(p_a, p_b, z_a, z_b, p_local=()):
    """`mean_i l(p_a_i, z_b_i) + mean_i l(p_b_i, z_a_i)`, `l(p, z) = 2 - 2 cos(p, sg(z))`.

    Grill et al. 2020, Sec. 3.1: "we symmetrize the loss ... by separately feeding v'
    to the online network and v to the target network". `2 - 2 cos` is the squared distance
    of the L2-normalized vectors; the two view orders are summed, so the loss lies in [0, 8].
    No gradient reaches `z_a` or `z_b` (the target's projections).

    Multi-crop adds, for each local crop's prediction `p_c`, `mean_i l(p_c_i, z_a_i) + mean_i
    l(p_c_i, z_b_i)`: every crop regressed on the target's projection of each view that is
    not itself (solo-learn's multi-crop BYOL), so the loss lies in `[0, 4 (2 + C - 1)]` for
    `C` local crops.

    Args:
        p_a, p_b: float tensors (B, D). Online predictions of views a and b.
        z_a, z_b: float tensors (B, D). Target projections of views a and b.
        p_local: sequence of float tensors (B, D). Online predictions of each local crop.

    Returns:
        float32 scalar tensor.
    """
    loss = 0.0
    for p_first, p_second in ((p_a, p_b), *((p, p) for p in p_local)):
        cos_first, cos_second = losses.cross_view_cosines(p_first, p_second, z_a, z_b)
        loss = loss + (2.0 - 2.0 * cos_first) + (2.0 - 2.0 * cos_second)
    return loss
