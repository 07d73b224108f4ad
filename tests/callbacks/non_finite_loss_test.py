import keras
import numpy as np

from ssl_zoo import callbacks
from ssl_zoo.testing.test_case import TestCase


class StopOnNonFiniteLossTest(TestCase):
    def test_a_nan_loss_raises_with_where_it_happened(self):
        model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
        model.compile("sgd", "mse")
        x = np.ones((16, 2), "float32")
        x[9] = np.nan  # the third batch of four
        with self.assertRaisesRegex(callbacks.NonFiniteLossError,
                                    r"The loss became nan at epoch 1, step 3: training stopped and nothing was written"):
            model.fit(x, x[:, :1], batch_size=4, epochs=2, shuffle=False, verbose=0,
                      callbacks=[callbacks.StopOnNonFiniteLoss()])
        self.assertTrue(issubclass(callbacks.NonFiniteLossError, ValueError))

    def test_finite_losses_pass(self):
        model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
        model.compile("sgd", "mse")
        x = np.ones((16, 2), "float32")
        history = model.fit(x, x[:, :1], batch_size=4, epochs=2, verbose=0, callbacks=[callbacks.StopOnNonFiniteLoss()])
        self.assertEqual(len(history.history["loss"]), 2)
