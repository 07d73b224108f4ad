"""The no-representation baselines: logistic regression on raw pixels or on TF-IDF."""

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from ssl_zoo import arguments
from ssl_zoo.evaluation.linear_probe import check_probe_labels
from ssl_zoo.evaluation.linear_probe import label_subset
from ssl_zoo.evaluation.linear_probe import linear_probe


def input_baseline(x_train, y_train, x_test, y_test, label_fraction=1.0, seed=0, modality="images"):
    """Test accuracy of a logistic regression on the inputs themselves.

    Images: the pixels scaled to [0, 1], flattened, through `linear_probe` (standardized,
    L-BFGS). Texts: TF-IDF of words (vocabulary and document frequencies from all training
    texts, no labels), logistic regression on the labeled subset. This is what a
    representation must beat to be worth having.

    Args:
        x_train: images `(n, H, W[, C])` in [0, 255], or `n` texts.
        y_train: int array `(n,)`.
        x_test: like `x_train`.
        y_test: int array `(m,)`.
        label_fraction: float in (0, 1]. Share of training labels used (class-balanced).
        seed: int. Seed of the label subset.
        modality: `"images"` or `"texts"` (a task's `modality`).

    Returns:
        float: accuracy on the test set.
    """
    if modality not in _BASELINES:
        raise ValueError(f"modality must be one of {', '.join(_BASELINES)}. Received: modality={modality!r}")
    y_train = arguments.class_ids(y_train, "y_train")
    y_test = arguments.class_ids(y_test, "y_test")
    check_probe_labels(y_train, y_test, ("y_train", "y_test"))
    return _BASELINES[modality][1](x_train, y_train, x_test, y_test, label_fraction, seed)


def input_baseline_name(modality):
    """What `input_baseline` of `modality` is called in reports."""
    return _BASELINES[modality][0]


def _pixels(x_train, y_train, x_test, y_test, label_fraction, seed):
    pixels_train = np.asarray(x_train, dtype=np.float32).reshape(len(x_train), -1) / 255.0
    pixels_test = np.asarray(x_test, dtype=np.float32).reshape(len(x_test), -1) / 255.0
    return linear_probe(pixels_train, y_train, pixels_test, y_test, label_fraction, seed)


def _tfidf(x_train, y_train, x_test, y_test, label_fraction, seed):
    tfidf = TfidfVectorizer()
    t_train, t_test = tfidf.fit_transform(list(x_train)), tfidf.transform(list(x_test))
    subset = label_subset(y_train, label_fraction, seed)
    classifier = LogisticRegression(max_iter=1000).fit(t_train[subset], y_train[subset])
    return float(np.mean(classifier.predict(t_test) == y_test))


_BASELINES = {"images": ("raw pixels", _pixels), "texts": ("TF-IDF", _tfidf)}
