"""Stop `fit` between two steps on SIGINT or SIGTERM."""

import contextlib
import signal
import threading

import keras

_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Interrupted(KeyboardInterrupt):
    """Training stopped by a signal; `signum` is the signal's number."""

    def __init__(self, signum):
        super().__init__(f"stopped by {signal.Signals(signum).name}")
        self.signum = signum


class _StopOnSignal(keras.callbacks.Callback):
    """Raises `Interrupted` at the first step or epoch boundary after a signal."""

    def __init__(self):
        super().__init__()
        self.received = None

    def handle(self, signum, frame):
        if self.received is not None:  # a second signal: stop now, wherever this is
            raise Interrupted(signum)
        self.received = signum

    def check(self, *args, **kwargs):
        if self.received is not None:
            raise Interrupted(self.received)

    on_train_batch_end = on_test_batch_end = on_predict_batch_end = on_epoch_end = check


@contextlib.contextmanager
def stop_on_signals():
    """Yield a callback that ends `fit` soon after SIGINT or SIGTERM, losing nothing.

    Inside the block a signal only sets a flag; the callback raises `Interrupted` (a
    `KeyboardInterrupt`) after the step that is running, or at the end of the epoch before
    the callbacks listed after it (put it first, before a `TrainingCheckpoint`, so a cut
    epoch is not backed up as whole). A second signal raises at once. The frameworks'
    own handling of Ctrl-C varies (JAX can let a `KeyboardInterrupt` pass unseen); this
    one is the same on every backend. The previous handlers are back when the block ends.
    Outside the main thread, where handlers cannot be set, signals keep their handlers.

    Example:
    ```python
    with ssl_zoo.callbacks.stop_on_signals() as stop:
        model.fit(x, epochs=10, callbacks=[stop, ssl_zoo.callbacks.TrainingCheckpoint("backup")])
    ```
    """
    callback = _StopOnSignal()
    if threading.current_thread() is not threading.main_thread():
        yield callback
        return
    previous = {signum: signal.signal(signum, callback.handle) for signum in _SIGNALS}
    try:
        yield callback
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
