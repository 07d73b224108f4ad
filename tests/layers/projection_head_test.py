import keras
import numpy as np

from ssl_zoo import layers
from ssl_zoo.testing.test_case import TestCase
from ssl_zoo.testing.test_case import random_normal


class ProjectionHeadTest(TestCase):
    def test_two_layers_without_batch_norm_are_w2_relu_w1(self):
        head = layers.ProjectionHead(hidden_dim=5, output_dim=3, use_batch_norm=False)
        x = random_normal((4, 6))
        out = head(x)
        (w1, b1), (w2, b2) = [
            [np.asarray(v) for v in layer.weights]
            for layer in (head.hidden[0][0], head.output_dense)
        ]
        expected = np.maximum(x @ w1 + b1, 0) @ w2 + b2
        self.assertAllClose(out, expected, atol=1e-5)

    def test_shapes_and_layer_count(self):
        head = layers.ProjectionHead(hidden_dim=8, output_dim=2, num_layers=3)
        self.assertEqual(tuple(head(random_normal((5, 7))).shape), (5, 2))
        self.assertEqual(len(head.hidden), 2)

    def test_config_round_trip(self):
        head = layers.ProjectionHead(hidden_dim=8, output_dim=2, num_layers=3, use_batch_norm=False)
        config = layers.ProjectionHead.from_config(head.get_config()).get_config()
        self.assertEqual(config, head.get_config())

    def test_bad_num_layers(self):
        with self.assertRaisesRegex(ValueError, "num_layers must be >= 1"):
            layers.ProjectionHead(hidden_dim=4, output_dim=2, num_layers=0)

    def test_output_batch_norm_standardizes_each_projection_without_scale_or_offset(self):
        head = layers.ProjectionHead(hidden_dim=8, output_dim=3, output_batch_norm=True)
        x = random_normal((16, 5), scale=3.0) + 1.0
        as_numpy = lambda t: np.asarray(keras.ops.convert_to_numpy(t), np.float64)
        out = as_numpy(head(x, training=True))
        dense, norm = head.hidden[0]
        d = as_numpy(head.output_dense(keras.ops.relu(norm(dense(x), training=True))))
        self.assertAllClose(out, (d - d.mean(axis=0)) / np.sqrt(d.var(axis=0) + 1e-3), atol=1e-5)
        self.assertIsNone(head.output_dense.bias)  # a bias before BatchNormalization does nothing
        self.assertEqual([w.name for w in head.output_norm.weights], ["moving_mean", "moving_variance"])

    def test_output_bias_false_drops_the_last_layer_s_bias_and_round_trips(self):
        head = layers.ProjectionHead(hidden_dim=8, output_dim=3, num_layers=3, output_bias=False)
        head.build((None, 5))
        self.assertIsNone(head.output_dense.bias)
        restored = layers.ProjectionHead.from_config(head.get_config())
        restored.build((None, 5))
        self.assertIsNone(restored.output_dense.bias)
