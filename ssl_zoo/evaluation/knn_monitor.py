"""A callback that reports kNN accuracy of the representation during pretraining."""

import keras
import numpy as np

from ssl_zoo import arguments
from ssl_zoo.evaluation.features import extract_features
from ssl_zoo.evaluation.knn import knn_classify
from ssl_zoo.evaluation.linear_probe import check_probe_labels


class KNNMonitor(keras.callbacks.Callback):
    """Adds `knn_accuracy` to the epoch logs (and the progress bar's last line).

    The standard online monitor of SSL pretraining (e.g. solo-learn, lightly): embed a
    labeled reference set and a held-out set with the current model, classify the held-out
    set with `knn_classify`, report the accuracy. Costs two forward passes per check.

    Args:
        train_images: array `(n, H, W[, C])`. Labeled reference images.
        train_labels: int array `(n,)`.
        test_images: array `(m, H, W[, C])`. Held-out images.
        test_labels: int array `(m,)`.
        k: int. Neighbours per query.
        every: int. Check every `every` epochs.

    Example:
    ```python
    monitor = ssl_zoo.evaluation.KNNMonitor(x_train[:5000], y_train[:5000], x_test, y_test)
    model.fit(x_unlabeled, epochs=10, callbacks=[monitor])
    ```
    """

    def __init__(self, train_images, train_labels, test_images, test_labels, k=20, every=1):
        super().__init__()
        train_labels = arguments.class_ids(train_labels, "train_labels")
        test_labels = arguments.class_ids(test_labels, "test_labels")
        if len(train_images) != len(train_labels) or len(test_images) != len(test_labels):
            raise ValueError(
                "KNNMonitor needs one label per image. Received "
                f"{len(train_images)} train images / {len(train_labels)} labels and "
                f"{len(test_images)} test images / {len(test_labels)} labels"
            )
        check_probe_labels(train_labels, test_labels)
        self.train_images, self.train_labels = train_images, train_labels
        self.test_images, self.test_labels = test_images, test_labels
        self.k, self.every = k, every
        self.history = []  # (epoch, accuracy) of each check

    def on_epoch_end(self, epoch, logs=None):
        if (epoch + 1) % self.every:
            return
        accuracy = self.accuracy()
        self.history.append((epoch + 1, accuracy))
        if logs is not None:
            logs["knn_accuracy"] = accuracy

    def accuracy(self):
        train = extract_features(self.model, self.train_images)
        test = extract_features(self.model, self.test_images)
        predicted = knn_classify(train, self.train_labels, test, k=self.k)
        return float(np.mean(predicted == self.test_labels))
