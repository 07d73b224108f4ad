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
