"""Checks shared by the classifiers: their arguments and the labels handed to fit."""

import numpy as np

from ssl_zoo import arguments


def check_classifier_args(num_classes, dropout):
    if not arguments.is_int(num_classes) or num_classes < 2:
        raise ValueError(
            f"num_classes must be an int >= 2. Received: num_classes={num_classes!r}"
        )
    if not (arguments.is_real(dropout) and 0.0 <= dropout < 1.0):
        raise ValueError(f"dropout must lie in [0, 1). Received: dropout={dropout!r}")


def prepare_labels(y, x, num_classes):
    """Check NumPy labels against their examples and the number of classes.

    Returns int32 labels `(n,)`; `y=None` and labels of other kinds (`tf.data`, ...) pass
    unchanged. A bare str `x` is one text.
    """
    if y is None or not (isinstance(y, (np.ndarray, list, tuple)) or arguments.is_real(y)):
        return y
    num_examples = 1 if isinstance(x, str) else len(x) if hasattr(x, "__len__") else None
    if num_examples == 0:
        raise ValueError(
            "x is empty: fit and evaluate need at least one example (text or image) with its "
            f"label. Received: len(x)=0, y={y!r:.80}"
        )
    y = arguments.class_ids(y, "y")
    if num_examples is not None and num_examples != len(y):
        raise ValueError(
            f"y has {len(y)} labels but x has {num_examples} examples; they must match."
        )
    if y.min() < 0 or y.max() >= num_classes:
        raise ValueError(
            f"y must hold class ids in [0, {num_classes - 1}] for num_classes={num_classes}. "
            f"Received ids from {int(y.min())} to {int(y.max())}."
        )
    return y.astype("int32")
