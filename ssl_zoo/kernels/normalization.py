"""Row normalization `u = z / |z|` and its backward in `keras.ops`, for the XLA tiles.

The squared norm has a floor of `EPSILON`, as in `reference.normalize_rows`: an all-zero row
stays zero, and below the floor `u = z / sqrt(EPSILON)` is linear in `z`.
"""

from keras import ops

EPSILON = 1e-12  # squared-norm floor, as in `reference.normalize_rows`


def normalize(z):
    """(u, sq): the rows of `z` (R, D) scaled to unit norm, and their squared norms (R, 1)."""
    sq = ops.sum(z * z, axis=1, keepdims=True)
    return z * ops.rsqrt(ops.maximum(sq, EPSILON)), sq


def backward(d_u, u, sq):
    """(dL/dz, u . dL/du) from dL/du (R, D) and `normalize`'s outputs; the second is (R, 1).

    dL/dz = (dL/du - (dL/du . u) u) / |z| where |z|^2 > EPSILON, dL/du / sqrt(EPSILON) below.
    """
    u_dot = ops.sum(d_u * u, axis=1, keepdims=True)
    radial = ops.where(sq > EPSILON, u_dot, 0.0) * u
    return (d_u - radial) * ops.rsqrt(ops.maximum(sq, EPSILON)), u_dot
