import keras
import numpy as np

from ssl_zoo import evaluation
from ssl_zoo import models
from ssl_zoo.testing.test_case import TestCase
from ssl_zoo.testing.tiny import random_images
from ssl_zoo.testing.tiny import tiny_backbone


class ExtractFeaturesTest(TestCase):
    def test_features_of_a_bare_backbone_are_its_output_averaged_over_space(self):
        backbone = tiny_backbone()
        x = random_images(6)
        expected = np.mean(
            keras.ops.convert_to_numpy(backbone(x[..., None].astype("float32") / 255.0)), axis=(1, 2)
        )
        self.assertAllClose(evaluation.extract_features(backbone, x, batch_size=4), expected, atol=1e-5)

    def test_knn_monitor_reports_accuracy(self):
        model = models.SimCLR(tiny_backbone(), projection_dim=4, projection_hidden_dim=8)
        x, y = random_images(16), np.arange(16) % 2
        monitor = evaluation.KNNMonitor(x, y, x, y, k=1)
        model.fit(x, batch_size=8, epochs=1, verbose=0, callbacks=[monitor])
        # k=1 on the reference set itself: every image is its own nearest neighbour.
        self.assertEqual(monitor.history, [(1, 1.0)])

    def test_not_a_model_with_features(self):
        with self.assertRaisesRegex(ValueError, "no 'features' layer"):
            evaluation.extract_features(keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)]), np.ones((2, 4)))
