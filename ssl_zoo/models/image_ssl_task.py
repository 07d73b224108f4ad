"""The base of tasks that learn from unlabeled images."""

import keras

from ssl_zoo.models.image_inputs import prepare_images
from ssl_zoo.models.ssl_task import SSLTask


class ImageSSLTask(SSLTask):
    """`SSLTask` whose `fit` takes images alone and whose NumPy inputs are checked images.

    The pretext targets (views, turns, clean pixels) are made from the images inside the
    model, so `fit(images)` takes no labels. NumPy inputs go through `prepare_images`
    against the model's input shape `(height, width, channels)`.
    """

    def fit(self, x=None, y=None, *args, **kwargs):
        if y is not None:
            raise ValueError(
                f"{type(self).__name__} learns from images alone: call fit(images) without "
                "labels. Received labels y."
            )
        return super().fit(x, *args, **kwargs)

    def prepare_inputs(self, x):
        return prepare_images(x, tuple(self.input.shape[1:]), "x")

    def feature_extractor(self):
        """A `keras.Model` from this task's images to the representation to reuse.

        The output of the layer `features` (the pooled backbone output), after the task's
        own preprocessing; augmentations are off outside training. Used by
        `ssl_zoo.evaluation.extract_features`, the kNN monitor and the linear probes.
        """
        return keras.Model(self.input, self.get_layer("features").output)
