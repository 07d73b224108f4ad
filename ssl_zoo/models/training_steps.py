"""How many optimizer steps a call of `fit` will take, read from its arguments."""

import math

import numpy as np


def fit_steps(x, batch_size=None, epochs=1, steps_per_epoch=None, initial_epoch=0):
    """The steps `keras.Model.fit(x, ...)` takes with these arguments, or None if unknown.

    Args:
        x: NumPy array, `tf.data.Dataset`, or an object with `len()` (a torch `DataLoader`,
            a `keras.utils.PyDataset`): its length is the batches of one epoch.
        batch_size, epochs, steps_per_epoch, initial_epoch: `fit`'s (batch size 32 by
            default for arrays, as Keras).

    Returns:
        int `(epochs - initial_epoch) * steps_per_epoch`, or None for a dataset of unknown
        or infinite length without `steps_per_epoch`.
    """
    if steps_per_epoch is None:
        steps_per_epoch = _batches(x, batch_size)
        if steps_per_epoch is None:
            return None
    return max(epochs - initial_epoch, 0) * int(steps_per_epoch)


def _batches(x, batch_size):
    if isinstance(x, np.ndarray):
        return math.ceil(len(x) / (batch_size or 32))
    if hasattr(x, "cardinality"):  # tf.data: -1 infinite, -2 unknown
        cardinality = int(x.cardinality())
        return cardinality if cardinality >= 0 else None
    try:
        return len(x)
    except TypeError:
        return None
