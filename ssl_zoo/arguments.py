"""Type checks of numeric arguments, shared by every entry point that takes a number."""

import numbers

import numpy as np


def is_int(value):
    """Whether `value` is an integer: a Python int or a NumPy integer scalar, not a bool."""
    return isinstance(value, numbers.Integral) and not isinstance(value, (bool, np.bool_))


def is_real(value):
    """Whether `value` is a real number: a Python or NumPy int or float scalar, not a bool.

    Strings (`"0.5"`), arrays and tensors are not numbers here.
    """
    return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))


def check_positive(name, value, hint=""):
    """Raise unless `value` is a real number > 0 (`is_real`); `hint` (" (...)") says why."""
    if not (is_real(value) and value > 0):
        raise ValueError(f"{name} must be a number > 0{hint}. Received: {name}={value!r}")


def check_non_negative(name, value, hint=""):
    """Raise unless `value` is a real number >= 0 (`is_real`); `hint` (" (...)") says why."""
    if not (is_real(value) and value >= 0):
        raise ValueError(f"{name} must be a number >= 0{hint}. Received: {name}={value!r}")


def check_int(name, value, minimum, hint=""):
    """Raise unless `value` is an integer (`is_int`) >= `minimum`; `hint` (" (...)") says why."""
    if not (is_int(value) and value >= minimum):
        raise ValueError(f"{name} must be an int >= {minimum}{hint}. Received: {name}={value!r}")


def check_unit_interval(name, value, hint=""):
    """Raise unless `value` is a real number in [0, 1] (`is_real`); `hint` (" (...)") says why."""
    if not (is_real(value) and 0 <= value <= 1):
        raise ValueError(f"{name} must be a number in [0, 1]{hint}. Received: {name}={value!r}")


def class_ids(labels, name="y"):
    """`labels` as int64 class ids `(n,)`: one integer per example, given `(n,)` or `(n, 1)`.

    Integer-valued floats pass (`1.0`); ids are not checked against a number of classes.

    Args:
        labels: array or list of class ids.
        name: str. The argument's name in error messages.

    Raises:
        ValueError: for a scalar, no labels, non-numbers, fractions, NaN or inf, or several
            ids per example.
    """
    labels = np.asarray(labels)
    if labels.ndim == 0:
        raise ValueError(
            f"{name} must be an array of class ids, one per example. Received a scalar: "
            f"{name}={labels.item()!r}"
        )
    if labels.dtype == object or not np.issubdtype(labels.dtype, np.number):
        raise ValueError(f"{name} must hold integer class ids. Received: {name}.dtype={labels.dtype}")
    if len(labels) == 0:
        raise ValueError(
            f"{name} is empty: pass one class id per example. Received: {name}.shape={labels.shape}"
        )
    labels = labels.reshape(len(labels), -1)
    if labels.shape[1] != 1:
        raise ValueError(
            f"{name} must hold one class id per example. Received: {name}.shape={labels.shape}"
        )
    labels = labels[:, 0]
    if not np.all(np.isfinite(labels)) or np.any(labels != np.round(labels)):
        raise ValueError(f"{name} must hold integer class ids; it holds fractions, NaN or inf.")
    return labels.astype("int64")
