"""The base of tasks that learn from unlabeled images."""

import keras

from ssl_zoo import layers
from ssl_zoo.models.image_inputs import prepare_images
from ssl_zoo.models.ssl_task import SSLTask


class ImageSSLTask(SSLTask):
    """`SSLTask` whose `fit` takes images alone and whose NumPy inputs are checked images.

    The pretext targets (views, turns, clean pixels) are made from the images inside the
    model, so `fit(images)` takes no labels. NumPy inputs go through `prepare_images`
    against the model's input shape `(height, width, channels)`.

    Subclasses name the global average pooling of their backbone output `features` and hold
    `self.grid_pooling = grid_pooling(backbone, feature_grid)`: the representation to reuse
    is the backbone output averaged over that grid of cells.
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

        The backbone output in this task's graph (after its pixel rescaling; augmentations
        and corruptions are off outside training), averaged over `feature_grid x
        feature_grid` cells (`ssl_zoo.layers.GridAveragePooling2D`; 1 is the global average,
        the `features` layer). Used by `ssl_zoo.evaluation.extract_features`, the kNN
        monitor and the linear probes.
        """
        feature_map = self.get_layer("features").input  # (B, h, w, C)
        return keras.Model(self.input, self.grid_pooling(feature_map))


def grid_pooling(backbone, feature_grid):
    """The representation's `GridAveragePooling2D`, checked against `backbone`'s output.

    A grid finer than the feature map fails here, when the task is built, not after training.
    """
    pooling = layers.GridAveragePooling2D(feature_grid, name="grid_pooling")
    pooling.build(backbone.output.shape)
    return pooling
