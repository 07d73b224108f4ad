import os
import signal

import keras
import numpy as np

from ssl_zoo import callbacks
from ssl_zoo.testing.test_case import TestCase


class SendSignal(keras.callbacks.Callback):
    def __init__(self, signum, at_batch, times=1):
        super().__init__()
        self.signum, self.at_batch, self.times = signum, at_batch, times
        self.batches = 0

    def on_train_batch_end(self, batch, logs=None):
        self.batches += 1
        if self.batches == self.at_batch:
            for _ in range(self.times):
                os.kill(os.getpid(), self.signum)


class StopOnSignalsTest(TestCase):
    def fit(self, *extra):
        model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
        model.compile("sgd", "mse")
        x = np.ones((64, 2), "float32")
        with callbacks.stop_on_signals() as stop:
            model.fit(x, x[:, :1], batch_size=4, epochs=3, verbose=0, callbacks=[stop, *extra])

    def test_a_signal_stops_fit_after_the_step_and_restores_the_handlers(self):
        previous = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)
        for signum in (signal.SIGINT, signal.SIGTERM):
            sender = SendSignal(signum, at_batch=5)
            seen = []

            class Epochs(keras.callbacks.Callback):
                def on_epoch_end(self, epoch, logs=None):
                    seen.append(epoch)

            with self.assertRaises(callbacks.Interrupted) as raised:
                self.fit(sender, Epochs())
            self.assertEqual(raised.exception.signum, signum)
            self.assertIsInstance(raised.exception, KeyboardInterrupt)
            self.assertEqual(sender.batches, 5)  # the callback after the signal's step did not run again
            self.assertEqual(seen, [])
            self.assertEqual((signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)), previous)

    def test_a_signal_in_the_last_step_stops_before_later_epoch_end_callbacks(self):
        seen = []

        class Epochs(keras.callbacks.Callback):
            def on_epoch_end(self, epoch, logs=None):
                seen.append(epoch)

        class SignalAtEpochEnd(keras.callbacks.Callback):
            def on_epoch_end(self, epoch, logs=None):
                if epoch == 1:
                    os.kill(os.getpid(), signal.SIGINT)

        with self.assertRaises(callbacks.Interrupted):
            self.fit(SignalAtEpochEnd(), Epochs())
        self.assertEqual(seen, [0, 1])  # the flag is read at the next boundary: epoch 3's first step

    def test_without_a_signal_fit_runs_to_the_end(self):
        self.fit()
