"""Argument checks shared by every NT-Xent and InfoNCE implementation."""

import math

import keras
import numpy as np

from ssl_zoo import arguments
from ssl_zoo.kernels import backend


def as_tensor(z, name):
    """`z` itself if it is an array or tensor; nested lists of numbers as float32 NumPy."""
    if hasattr(z, "shape") and hasattr(z, "dtype"):
        return z
    try:
        return np.asarray(z, dtype="float32")
    except (TypeError, ValueError) as error:
        raise ValueError(
            f"{name} must be a float tensor (N, D) or a nested list of numbers of that shape. "
            f"Received: {name}={z!r:.80} ({error})"
        ) from None


def check_nt_xent_args(z_a, z_b, temperature):
    """Raise a `ValueError` naming the argument for inputs no implementation accepts.

    Shapes and dtypes are checked always; values (NaN, temperature) only where they are
    concrete, i.e. outside `jit` / `tf.function` / `torch.compile` tracing.
    """
    for name, z in (("z_a", z_a), ("z_b", z_b)):
        check_matrix(z, name)
    _check_pair(z_a, z_b, ("z_a", "z_b"), "")
    _check_temperature(temperature)
    for name, z in (("z_a", z_a), ("z_b", z_b)):
        check_finite(z, name)


def check_info_nce_args(queries, keys, negatives, temperature, batch_negatives=True):
    """Raise a `ValueError` naming the argument for inputs no InfoNCE implementation accepts.

    As `check_nt_xent_args`; `negatives` may be None or (K, D) with K >= 0, and must have
    K >= 1 (where K is known) for `batch_negatives=False`.
    """
    named = [("queries", queries), ("keys", keys)]
    named += [] if negatives is None else [("negatives", negatives)]
    for name, z in named:
        check_matrix(z, name)
    _check_pair(queries, keys, ("queries", "keys"), ": key i is the positive of query i")
    if negatives is not None:
        d, d_n = _static_shape(queries)[1], _static_shape(negatives)[1]
        if d != d_n and None not in (d, d_n):
            raise ValueError(
                f"negatives must have the queries' width D={d} (K, {d}). "
                f"Received: negatives.shape={_static_shape(negatives)}, "
                f"queries.shape={_static_shape(queries)}"
            )
    _check_batch_negatives(batch_negatives, negatives)
    _check_temperature(temperature)
    for name, z in named:
        check_finite(z, name)


def _check_batch_negatives(batch_negatives, negatives):
    """Raise unless `batch_negatives` is a bool, and True or with a bank of K >= 1 rows."""
    if not isinstance(batch_negatives, bool):
        raise ValueError(
            "batch_negatives must be True (the batch's other keys are negatives) or False "
            f"(only the bank is). Received: batch_negatives={batch_negatives!r}"
        )
    shape = None if negatives is None else _static_shape(negatives)
    if batch_negatives or (shape is not None and shape[0] != 0):  # K unknown: not checked
        return
    received = "negatives=None" if shape is None else f"negatives.shape={shape}"
    raise ValueError(
        "batch_negatives=False needs negatives (K, D) with K >= 1: without them each query's "
        "only logit is its positive and the loss is 0. Pass a bank (MoCo's queue) or "
        f"batch_negatives=True. Received: batch_negatives=False, {received}"
    )


def _check_pair(a, b, names, why):
    """Raise unless `a` and `b` have one shape (N, D) with N, D >= 1 (where known)."""
    shape_a, shape_b = _static_shape(a), _static_shape(b)
    if shape_a != shape_b and None not in shape_a + shape_b:
        raise ValueError(
            f"{names[0]} and {names[1]} must have the same shape (N, D){why}. "
            f"Received: {names[0]}.shape={shape_a}, {names[1]}.shape={shape_b}"
        )
    if shape_a[0] == 0 or shape_a[1] == 0:
        raise ValueError(
            f"{names[0]} and {names[1]} need N >= 1 rows and D >= 1 columns. "
            f"Received: shape={shape_a}"
        )


def check_matrix(z, name):
    """Raise unless `z` is a rank-2 float tensor."""
    shape = _static_shape(z)
    if len(shape) != 2:
        raise ValueError(f"{name} must be a rank-2 tensor (N, D). Received: {name}.shape={shape}")
    dtype = keras.backend.standardize_dtype(keras.ops.dtype(z))
    if "float" not in dtype:
        raise ValueError(
            f"{name} must be a float tensor (float32, bfloat16 or float16). "
            f"Received: {name}.dtype={dtype}"
        )


def check_finite(z, name):
    """Raise where `z` is concrete and holds NaN or infinite values."""
    if not backend.is_symbolic(z) and not np.all(np.isfinite(_to_numpy(z))):
        raise ValueError(
            f"{name} contains NaN or infinite values; the projections diverged or the "
            "input batch holds non-finite values."
        )


def _static_shape(x):
    """The shape known before running: ints, or None for dimensions decided at run time."""
    return tuple(None if d is None else int(d) for d in x.shape)


def _check_temperature(temperature):
    if arguments.is_real(temperature):
        value = float(temperature)
    elif not (hasattr(temperature, "shape") and hasattr(temperature, "dtype")):
        raise ValueError(
            "temperature must be a number > 0 or a scalar float tensor. "
            f"Received: temperature={temperature!r} of type {type(temperature).__name__}"
        )
    elif backend.is_symbolic(temperature):
        return
    else:
        value = np.asarray(_to_numpy(temperature), dtype=np.float64)
        if value.size != 1:
            raise ValueError(
                f"temperature must be a scalar. Received: temperature with shape {value.shape}"
            )
        value = float(value.reshape(()))
    if not (math.isfinite(value) and value > 0):
        raise ValueError(
            f"temperature must be a finite number > 0. Received: temperature={value}"
        )


def _to_numpy(x):
    return np.asarray(keras.ops.convert_to_numpy(x)).astype(np.float32)
