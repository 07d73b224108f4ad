import contextlib
import io
import os

import keras
import numpy as np

from ssl_zoo import callbacks
from ssl_zoo.testing.test_case import TestCase


def tiny_model():
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(4, activation="relu"), keras.layers.Dense(1)])
    model.compile(keras.optimizers.Adam(0.01), "mse")
    return model


def data():
    rng = np.random.default_rng(0)
    return rng.normal(size=(32, 3)).astype("float32"), rng.normal(size=(32, 1)).astype("float32")


class StopAtEpoch(keras.callbacks.Callback):
    def __init__(self, epoch):
        super().__init__()
        self.epoch = epoch

    def on_epoch_begin(self, epoch, logs=None):
        if epoch == self.epoch:
            raise RuntimeError("killed")


class TrainingCheckpointTest(TestCase):
    def fit(self, model, directory, epochs, *extra):
        x, y = data()
        output = io.StringIO()
        with contextlib.redirect_stdout(output):
            history = model.fit(x, y, batch_size=8, epochs=epochs, shuffle=False, verbose=0,
                                callbacks=[callbacks.TrainingCheckpoint(directory), *extra])
        return history, output.getvalue()

    def test_resumed_training_equals_uninterrupted_training(self):
        folder = self.get_temp_dir()
        directory = os.path.join(folder, "backup")
        os.makedirs(directory)
        with open(os.path.join(directory, "notes.txt"), "w") as f:
            f.write("the user's")
        with self.assertRaisesRegex(RuntimeError, "killed"):
            self.fit(tiny_model(), directory, 3, StopAtEpoch(2))
        self.assertEqual(sorted(os.listdir(directory)), ["epoch_2.weights.h5", "notes.txt"])

        resumed = tiny_model()
        history, printed = self.fit(resumed, directory, 3)
        self.assertIn(f"Resumed from epoch 2 ({os.path.join(directory, 'epoch_2.weights.h5')})", printed)
        self.assertEqual(len(history.history["loss"]), 1)
        self.assertEqual(os.listdir(directory), ["notes.txt"])  # backups gone, the user's file kept

        uninterrupted = tiny_model()
        self.fit(uninterrupted, os.path.join(folder, "other"), 3)
        for a, b in zip(resumed.get_weights(), uninterrupted.get_weights()):
            self.assertAllClose(a, b, atol=1e-6)
        self.assertFalse(os.path.exists(os.path.join(folder, "other")))  # emptied: removed

    def test_a_damaged_backup_is_named(self):
        directory = os.path.join(self.get_temp_dir(), "backup")
        with self.assertRaises(RuntimeError):
            self.fit(tiny_model(), directory, 3, StopAtEpoch(1))
        path = os.path.join(directory, "epoch_1.weights.h5")
        with open(path, "r+b") as f:
            f.truncate(200)
        with self.assertRaisesRegex(ValueError, f"The training backup {path} is damaged or belongs to another "
                                    r"model \(.*\)\. Delete it to train from the first epoch\."):
            self.fit(tiny_model(), directory, 3)

    def test_a_failed_backup_keeps_the_previous_one(self):
        directory = os.path.join(self.get_temp_dir(), "backup")

        class FailSecondSave(keras.callbacks.Callback):
            def on_epoch_begin(self, epoch, logs=None):
                if epoch == 1:
                    def broken(path, *args, **kwargs):
                        with open(path, "wb") as f:
                            f.write(b"half")
                        raise OSError("disk full")

                    self.model.save_weights = broken

        with self.assertRaisesRegex(OSError, "disk full"):
            self.fit(tiny_model(), directory, 3, FailSecondSave())
        self.assertEqual(os.listdir(directory), ["epoch_1.weights.h5"])
        _, printed = self.fit(tiny_model(), directory, 3)
        self.assertIn("Resumed from epoch 1", printed)
