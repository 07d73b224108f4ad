"""Statistics of a batch of projections that Barlow Twins and VICReg score."""

import keras


def check_views(z_a, z_b, method):
    """`z_a`, `z_b` as float32 tensors; refuse different shapes and a batch of one.

    Raises:
        ValueError: the shapes differ, are not `(N, D)`, or `N` is known and below 2 (one
            row has no variance to standardize or hinge).
    """
    z_a, z_b = (keras.ops.cast(keras.ops.convert_to_tensor(z), "float32") for z in (z_a, z_b))
    shape_a, shape_b = tuple(z_a.shape), tuple(z_b.shape)
    if len(shape_a) != 2 or shape_a != shape_b:
        raise ValueError(
            f"z_a and z_b must have the same shape (N, D), the projections of the two views. "
            f"Received: z_a.shape={shape_a}, z_b.shape={shape_b}"
        )
    if shape_a[0] is not None and shape_a[0] < 2:
        raise ValueError(
            f"{method} needs a batch of at least 2 (its loss reads each dimension's variance "
            f"over the batch). Received: z_a.shape={shape_a}"
        )
    return z_a, z_b


def batch_rows(z):
    """`N`, the rows of `z`, as a float32 scalar (known at run time only, in a traced step)."""
    return keras.ops.cast(keras.ops.shape(z)[0], "float32")


def off_diagonal_squares(c):
    """`sum_{i != j} c_ij^2` of a square matrix `c` (D, D)."""
    d = c.shape[-1]
    return keras.ops.sum(keras.ops.square(c) * (1.0 - keras.ops.eye(d, dtype=c.dtype)))
