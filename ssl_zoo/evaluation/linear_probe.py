"""Linear classifiers on frozen features, with a chosen fraction of the labels."""

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from ssl_zoo import arguments


def label_subset(labels, fraction, seed=0):
    """Indices of a class-balanced random `fraction` of `labels` (at least one per class).

    Args:
        labels: int array `(n,)`, at least one label.
        fraction: float in (0, 1]. Share of the labels to keep.
        seed: int. Seed of the draw.

    Returns:
        Sorted int array of indices into `labels`.
    """
    if not (arguments.is_real(fraction) and 0 < fraction <= 1):
        raise ValueError(f"fraction must be in (0, 1]. Received: fraction={fraction!r}")
    labels = arguments.class_ids(labels, "labels")
    rng = np.random.default_rng(seed)
    keep = []
    for label in np.unique(labels):
        members = np.flatnonzero(labels == label)
        count = max(1, int(round(fraction * len(members))))
        keep.append(rng.choice(members, size=count, replace=False))
    return np.sort(np.concatenate(keep))


def linear_probe(
    train_features, train_labels, test_features, test_labels, label_fraction=1.0, seed=0,
    max_iter=1000,
):
    """Test accuracy of a logistic regression fitted on a fraction of the training labels.

    The linear evaluation protocol of SimCLR (Chen et al. 2020, Sec. 4 and Appendix B.6):
    the representation is frozen, features are standardized, and a multinomial logistic
    regression (L-BFGS, L2 strength 1.0) is fitted on the labeled subset. The training
    labels need at least 2 classes and one example of every class in `test_labels`
    (`check_probe_labels`).

    Args:
        train_features: float array `(n, d)`, e.g. from `extract_features` (or raw pixels
            flattened, for the no-representation baseline).
        train_labels: int array `(n,)`.
        test_features: float array `(m, d)`.
        test_labels: int array `(m,)`.
        label_fraction: float in (0, 1]. Share of training labels used (class-balanced).
        seed: int. Seed of the label subset.
        max_iter: int. L-BFGS iterations.

    Returns:
        float: accuracy on the test set.

    Example:
    ```python
    acc = ssl_zoo.evaluation.linear_probe(f_train, y_train, f_test, y_test, label_fraction=0.01)
    ```
    """
    train_features = _as_2d(train_features, "train_features")
    test_features = _as_2d(test_features, "test_features")
    train_labels = arguments.class_ids(train_labels, "train_labels")
    test_labels = arguments.class_ids(test_labels, "test_labels")
    if len(train_labels) != len(train_features):
        raise ValueError(
            f"train_labels has {len(train_labels)} entries but train_features has "
            f"{len(train_features)} rows; they must match."
        )
    if len(test_labels) != len(test_features):
        raise ValueError(
            f"test_labels has {len(test_labels)} entries but test_features has "
            f"{len(test_features)} rows; they must match."
        )
    check_probe_labels(train_labels, test_labels)
    subset = label_subset(train_labels, label_fraction, seed)
    classifier = make_pipeline(StandardScaler(), LogisticRegression(max_iter=max_iter))
    classifier.fit(train_features[subset], train_labels[subset])
    return float(np.mean(classifier.predict(test_features) == test_labels))


def check_probe_labels(train_labels, test_labels, names=("train_labels", "test_labels")):
    """Refuse labels a classifier can't be fitted on, or fairly tested against.

    The probes (linear, kNN, fine-tuning, the input baselines) need labeled training
    examples of at least 2 classes, and at least one of every class they are tested on
    (`label_subset` then keeps one of each).

    Args:
        train_labels: int array `(n,)`.
        test_labels: int array `(m,)`.
        names: the two arguments' names in error messages.
    """
    train_name, test_name = names
    classes = np.unique(train_labels)
    if len(classes) < 2:
        raise ValueError(
            "A probe needs labeled training examples of at least 2 classes. Received: "
            f"{train_name} of the one class {classes.tolist()} ({len(train_labels)} examples); "
            "an image folder needs 2 or more class sub-folders."
        )
    unseen = np.setdiff1d(np.unique(test_labels), classes)
    if unseen.size:
        raise ValueError(
            f"{test_name} hold the classes {unseen.tolist()[:10]}, which have no labeled "
            "training example; a probe needs at least one per class it is tested on. With "
            "one or two images per class, keep one of each in the training split "
            "(a lower test_fraction) or add images."
        )


def _as_2d(x, name):
    x = np.asarray(x, dtype=np.float32)
    if x.ndim < 2 or len(x) == 0:
        raise ValueError(f"{name} must be a non-empty (n, d) array. Received shape {x.shape}")
    return x.reshape(len(x), -1)
