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

    def test_labels_and_arguments_that_vote_wrongly_are_refused(self):
        train, queries = np.eye(3), np.eye(3)
        cases = [
            (dict(train_labels=np.array([0, -1, 1])), "train_labels must hold class ids >= 0. Received: a label -1"),
            (dict(train_labels=np.array([0.5, 1.0, 2.0])), "fractions, NaN or inf"),
            (dict(train_labels=2), "Received a scalar: train_labels=2"),
            (dict(train_labels=np.arange(3), k="2"), "k must be an int >= 1 and temperature a number > 0. Received: k='2'"),
        ]
        for kwargs, message in cases:
            with self.assertRaisesRegex(ValueError, message):
                evaluation.knn_classify(train, kwargs.pop("train_labels"), queries, **kwargs)
        # NumPy scalars are numbers; a single class is every query's answer.
        self.assertEqual(evaluation.knn_classify(train, [2, 0, 1], queries, k=np.int64(1), temperature=np.float32(0.1)).tolist(), [2, 0, 1])
        self.assertEqual(evaluation.knn_classify(train, [1, 1, 1], queries, k=2).tolist(), [1, 1, 1])
