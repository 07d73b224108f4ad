"""How many optimizer steps a call of `fit` will take, read from its arguments."""

import math

import keras
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


def schedule_for_fit(target, task_name, x, batch_size, epochs, steps_per_epoch, initial_epoch):
    """Set a cosine `MomentumTarget`'s length to end at the last step of this `fit`.

    The schedule runs from the step `target` has reached to that step plus `fit_steps(...)`,
    so a later `fit` continues it.

    Raises:
        ValueError: `fit` cannot count the batches of `x` and `steps_per_epoch` is None.
    """
    steps = fit_steps(x, batch_size, epochs, steps_per_epoch, initial_epoch)
    if steps is None:
        raise ValueError(
            f"{task_name}'s target momentum rises over the training steps, and fit cannot count "
            f"the batches of this x ({type(x).__name__}): pass steps_per_epoch."
        )
    if steps:
        target.set_total_steps(int(keras.ops.convert_to_numpy(target.step)) + steps)


def fit_batch_size(x, batch_size=None):
    """The batch size of `fit(x, batch_size=...)`'s full batches, or None if `x` does not say.

    Arrays: `batch_size` (32 by default, as Keras), at most `len(x)`; a `tf.data.Dataset`:
    its static batch dimension; other objects: their `batch_size` attribute (a torch
    `DataLoader`'s).
    """
    if isinstance(x, np.ndarray):
        return min(batch_size or 32, len(x)) or None  # None: no batch at all
    spec = getattr(x, "element_spec", None)
    if spec is not None:
        shape = getattr(spec, "shape", None)
        return None if shape is None or not shape.rank else shape[0]
    size = getattr(x, "batch_size", None)
    return size if isinstance(size, int) else None


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
