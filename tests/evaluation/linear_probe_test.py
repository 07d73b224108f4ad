import numpy as np

from ssl_zoo import evaluation
from ssl_zoo.testing.test_case import TestCase


class LinearProbeTest(TestCase):
    def test_label_subset_is_class_balanced(self):
        labels = np.repeat(np.arange(10), 600)
        subset = evaluation.label_subset(labels, 0.01, seed=0)
        self.assertEqual(len(subset), 60)
        self.assertEqual(np.bincount(labels[subset]).tolist(), [6] * 10)
        self.assertEqual(len(np.unique(subset)), 60)
        self.assertEqual(evaluation.label_subset(labels, 1e-6).size, 10)  # at least one per class

    def test_separable_features_are_classified_exactly(self):
        rng = np.random.default_rng(0)
        labels = rng.integers(0, 3, 300)
        features = np.eye(3)[labels] * 5 + rng.normal(scale=0.1, size=(300, 3))
        self.assertEqual(evaluation.linear_probe(features[:200], labels[:200], features[200:], labels[200:], 0.1), 1.0)

    def test_noise_features_stay_near_chance(self):
        rng = np.random.default_rng(1)
        labels = rng.integers(0, 2, 2000)
        accuracy = evaluation.linear_probe(rng.normal(size=(1000, 4)), labels[:1000], rng.normal(size=(1000, 4)), labels[1000:])
        self.assertLess(abs(accuracy - 0.5), 0.06)

    def test_mismatched_labels(self):
        with self.assertRaisesRegex(ValueError, "train_labels has 3 entries but train_features has 4 rows"):
            evaluation.linear_probe(np.ones((4, 2)), np.ones(3), np.ones((2, 2)), np.ones(2))
        with self.assertRaisesRegex(ValueError, "fraction must be in"):
            evaluation.label_subset(np.ones(4), 0.0)
