"""Checks shared by the classifiers: their arguments and the labels handed to fit."""

import numpy as np


def check_classifier_args(num_classes, dropout):
    if isinstance(num_classes, bool) or not isinstance(num_classes, (int, np.integer)) or num_classes < 2:
        raise ValueError(
            f"num_classes must be an int >= 2. Received: num_classes={num_classes!r}"
        )
    if not 0.0 <= dropout < 1.0:
        raise ValueError(f"dropout must lie in [0, 1). Received: dropout={dropout}")


def prepare_labels(y, x, num_classes):
    """Check NumPy labels against their examples and the number of classes.

    Returns int32 labels `(n,)`; `y=None` and labels of other kinds (`tf.data`, ...) pass
    unchanged.
    """
    if y is None or not isinstance(y, (np.ndarray, list, tuple)):
        return y
    y = np.asarray(y)
    if y.dtype == object or not np.issubdtype(y.dtype, np.number):
        raise ValueError(f"y must hold integer class ids. Received: y.dtype={y.dtype}")
    y = y.reshape(len(y), -1)
    if y.shape[1] != 1:
        raise ValueError(f"y must hold one class id per example. Received: y.shape={y.shape}")
    y = y[:, 0]
    if not np.all(np.isfinite(y)) or np.any(y != np.round(y)):
        raise ValueError("y must hold integer class ids; it holds fractions, NaN or inf.")
    if hasattr(x, "__len__") and len(x) != len(y):
        raise ValueError(
            f"y has {len(y)} labels but x has {len(x)} examples; they must match."
        )
    if len(y) and (y.min() < 0 or y.max() >= num_classes):
        raise ValueError(
            f"y must hold class ids in [0, {num_classes - 1}] for num_classes={num_classes}. "
            f"Received ids from {int(y.min())} to {int(y.max())}."
        )
    return y.astype("int32")
