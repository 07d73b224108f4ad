"""Weighted k-nearest-neighbour classification on embeddings."""

import numpy as np

from ssl_zoo import arguments


def knn_classify(
    train_features, train_labels, query_features, k=200, temperature=0.1, chunk_size=1024
):
    """Predict labels by a similarity-weighted vote of the `k` nearest training embeddings.

    Wu et al., "Unsupervised Feature Learning via Non-Parametric Instance Discrimination"
    (CVPR 2018), Eq. 7: neighbours by cosine similarity `s`, each voting with weight
    `exp(s / temperature)` for its class.

    Args:
        train_features: float array `(n, d)`.
        train_labels: int array `(n,)` with classes `0..C-1` (one class is allowed: every
            query gets it).
        query_features: float array `(m, d)`.
        k: int. Neighbours per query (capped at `n`).
        temperature: float > 0. Sharpness of the vote weights.
        chunk_size: int. Queries scored at once (bounds memory to `chunk_size * n`).

    Returns:
        int array `(m,)` of predicted classes.

    Example:
    ```python
    pred = ssl_zoo.evaluation.knn_classify(f_train, y_train, f_test, k=20)
    accuracy = np.mean(pred == y_test)
    ```
    """
    train_features = np.asarray(train_features, dtype=np.float32)
    query_features = np.asarray(query_features, dtype=np.float32)
    train_labels = arguments.class_ids(train_labels, "train_labels")
    if train_features.ndim != 2 or query_features.ndim != 2:
        raise ValueError(
            "train_features and query_features must be (n, d) arrays. Received shapes "
            f"{train_features.shape} and {query_features.shape}"
        )
    if train_features.shape[1] != query_features.shape[1]:
        raise ValueError(
            "train_features and query_features must have the same width. Received "
            f"{train_features.shape[1]} and {query_features.shape[1]}"
        )
    if len(train_labels) != len(train_features) or len(train_labels) == 0:
        raise ValueError(
            f"train_labels must have one label per training row ({len(train_features)}). "
            f"Received: {len(train_labels)} labels"
        )
    if train_labels.min() < 0:
        raise ValueError(
            f"train_labels must hold class ids >= 0. Received: a label {int(train_labels.min())}"
        )
    if not (arguments.is_int(k) and k >= 1 and arguments.is_real(temperature) and temperature > 0):
        raise ValueError(
            f"k must be an int >= 1 and temperature a number > 0. Received: k={k!r}, "
            f"temperature={temperature!r}"
        )
    k = min(k, len(train_features))
    num_classes = int(train_labels.max()) + 1
    train_unit = _unit_rows(train_features)
    predictions = np.empty(len(query_features), dtype=np.int64)
    for start in range(0, len(query_features), chunk_size):
        sims = _unit_rows(query_features[start : start + chunk_size]) @ train_unit.T  # (c, n)
        top = np.argpartition(-sims, k - 1, axis=1)[:, :k]  # (c, k), unordered
        weights = np.exp(np.take_along_axis(sims, top, axis=1) / temperature)
        votes = np.zeros((len(sims), num_classes))
        np.add.at(votes, (np.arange(len(sims))[:, None], train_labels[top]), weights)
        predictions[start : start + chunk_size] = np.argmax(votes, axis=1)
    return predictions


def _unit_rows(x):
    return x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)
