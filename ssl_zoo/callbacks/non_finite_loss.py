"""Stop training when the loss is no longer a finite number."""

import math

import keras


class NonFiniteLossError(ValueError):
    """The loss became NaN or infinite: the weights are no longer usable."""


class StopOnNonFiniteLoss(keras.callbacks.Callback):
    """Raise `NonFiniteLossError` after the first step whose loss is NaN or infinite.

    Like `keras.callbacks.TerminateOnNaN`, but `fit` ends with an error instead of
    returning normally, so nothing after it (saving a preset) runs on diverged weights.
    """

    def __init__(self):
        super().__init__()
        self._epoch = 0

    def on_epoch_begin(self, epoch, logs=None):
        self._epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        loss = (logs or {}).get("loss")
        if loss is not None and not math.isfinite(float(loss)):
            raise NonFiniteLossError(
                f"The loss became {float(loss)} at epoch {self._epoch + 1}, step {batch + 1}: "
                "training stopped and nothing was written. Lower the learning rate or check "
                "the settings and the data."
            )
