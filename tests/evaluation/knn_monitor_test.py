import numpy as np

from ssl_zoo import evaluation
from ssl_zoo.testing.test_case import TestCase
from ssl_zoo.testing.tiny import random_images


class KNNMonitorTest(TestCase):
    def test_labels_a_probe_cannot_use_are_refused_when_built(self):
        x = random_images(4)
        with self.assertRaisesRegex(ValueError, r"at least 2 classes. Received: train_labels of the one class \[0\]"):
            evaluation.KNNMonitor(x, np.zeros(4), x, np.zeros(4))
        with self.assertRaisesRegex(ValueError, r"test_labels hold the classes \[3\]"):
            evaluation.KNNMonitor(x, [0, 1, 0, 1], x[:1], [3])
        with self.assertRaisesRegex(ValueError, "Received a scalar: test_labels=1"):
            evaluation.KNNMonitor(x, [0, 1, 0, 1], x[:1], 1)
