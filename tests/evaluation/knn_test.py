import numpy as np

from ssl_zoo import evaluation
from ssl_zoo.testing.test_case import TestCase


def knn_oracle(train, labels, queries, k, temperature):
    """Brute force: full sort, float64."""
    unit = lambda x: x / np.linalg.norm(x, axis=1, keepdims=True)
    sims = unit(queries.astype(np.float64)) @ unit(train.astype(np.float64)).T
    out = []
    for row in sims:
        top = np.argsort(-row)[:k]
        votes = np.zeros(labels.max() + 1)
        for j in top:
            votes[labels[j]] += np.exp(row[j] / temperature)
        out.append(np.argmax(votes))
    return np.array(out)


class KNNTest(TestCase):
    def test_matches_brute_force_oracle(self):
        rng = np.random.default_rng(0)
        train, queries = rng.normal(size=(300, 8)), rng.normal(size=(50, 8))
        labels = rng.integers(0, 5, 300)
        for k in (1, 7, 300):
            self.assertEqual(
                evaluation.knn_classify(train, labels, queries, k=k, chunk_size=16).tolist(),
                knn_oracle(train, labels, queries, k, 0.1).tolist(),
            )

    def test_weights_decide_against_the_majority(self):
        train = np.array([[1.0, 0.0], [0.0, 1.0], [0.05, 1.0]])
        labels = np.array([0, 1, 1])
        # Query equal to the class-0 point: one very close vote beats two far ones.
        self.assertEqual(evaluation.knn_classify(train, labels, np.array([[1.0, 0.0]]), k=3, temperature=0.05)[0], 0)

    def test_bad_inputs(self):
        with self.assertRaisesRegex(ValueError, "one label per training row"):
            evaluation.knn_classify(np.ones((3, 2)), np.ones(2), np.ones((1, 2)))
        with self.assertRaisesRegex(ValueError, "same width"):
            evaluation.knn_classify(np.ones((3, 2)), np.ones(3), np.ones((1, 3)))
