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

    def test_one_example_per_class_is_enough(self):
        features = np.eye(4) * 5
        self.assertEqual(evaluation.linear_probe(features, np.arange(4), features, np.arange(4), 0.01), 1.0)
        self.assertEqual(evaluation.label_subset(np.arange(4), 0.01).tolist(), [0, 1, 2, 3])

    def test_what_a_probe_needs_is_said(self):
        features = np.eye(4)
        with self.assertRaisesRegex(
            ValueError, r"at least 2 classes. Received: train_labels of the one class \[3\] \(4 examples\)"
        ):
            evaluation.linear_probe(features, np.full(4, 3), features, np.full(4, 3))
        with self.assertRaisesRegex(
            ValueError, r"test_labels hold the classes \[2\], which have no labeled training example; a probe "
                        "needs at least one per class it is tested on"
        ):
            evaluation.linear_probe(features, [0, 0, 1, 1], features[:2], [0, 2])
        with self.assertRaisesRegex(ValueError, "train_labels must be an array of class ids, one per example. "
                                                "Received a scalar: train_labels=1"):
            evaluation.linear_probe(features, 1, features, np.arange(4))
        with self.assertRaisesRegex(ValueError, r"labels is empty: pass one class id per example"):
            evaluation.label_subset([], 0.5)
        with self.assertRaisesRegex(ValueError, "Received a scalar: labels=3"):
            evaluation.label_subset(3, 0.5)
