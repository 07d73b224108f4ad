import keras
import numpy as np

from ssl_zoo import layers
from ssl_zoo.testing.test_case import TestCase
from ssl_zoo.testing.test_case import random_normal


class EachViewTest(TestCase):
    def test_batch_statistics_are_per_view_while_training(self):
        each = layers.EachView(keras.layers.BatchNormalization(center=False, scale=False, epsilon=0.0))
        x = np.concatenate([random_normal((4, 3)), random_normal((4, 3), seed=1) * 5 + 10])
        out = keras.ops.convert_to_numpy(each(x, training=True))
        halves = [(h - h.mean(0)) / h.std(0) for h in (x[:4], x[4:])]
        self.assertAllClose(out, np.concatenate(halves), atol=1e-4)
        # Outside training the rows are not a pair: one call on all of them.
        self.assertEqual(tuple(each(x[:3], training=False).shape), (3, 3))

    def test_config_round_trip(self):
        each = layers.EachView(keras.layers.Dense(2), name="each")
        config = each.get_config()
        self.assertEqual(layers.EachView.from_config(config).get_config(), config)
