"""The base of tasks that learn from unlabeled images."""

import keras

from ssl_zoo.models.image_features import grid_features
from ssl_zoo.models.image_inputs import prepare_images
from ssl_zoo.models.image_inputs import training_images
from ssl_zoo.models.ssl_task import SSLTask


class ImageSSLTask(SSLTask):
    """`SSLTask` whose `fit` takes images alone and whose NumPy inputs are checked images.

    The pretext targets (views, turns, clean pixels) are made from the images inside the
    model, so `fit(images)` takes no labels. NumPy inputs (and lists of images) go through
    `prepare_images` against the model's input shape `(height, width, channels)`; `fit`
    refuses float images already scaled to [0, 1] (`check_pixel_scale`).

    Subclasses set `self.rescaling` (pixels to [0, 1]) and `self.feature_grid`, checked at
    construction with `check_feature_grid`.
    """

    def fit(self, x=None, y=None, *args, **kwargs):
        if y is not None:
            raise ValueError(
                f"{type(self).__name__} learns from images alone: call fit(images) without "
                "labels. Received labels y."
            )
        return super().fit(training_images(x, type(self).__name__), *args, **kwargs)

    def prepare_inputs(self, x):
        return prepare_images(x, tuple(self.input.shape[1:]), "x")

    def backbone_inputs(self, images):
        """What the backbone sees of `images` (pixels in [0, 255]) outside training."""
        return self.rescaling(images)

    def feature_extractor(self):
        """A `keras.Model` from this task's images to the representation to reuse.

        `ssl_zoo.models.image_features.grid_features`: every level of the backbone's feature
        pyramid (for `SmallResNetBackbone` the output of each stage), each averaged over
        `feature_grid x feature_grid` cells, concatenated. Augmentations and corruptions are
        off: the backbone sees `backbone_inputs(images)`. Used by
        `ssl_zoo.evaluation.extract_features`, the kNN monitor and the linear probes.

        Chosen on a validation split of Fashion-MNIST's training set (10,000 images held out,
        a linear probe on 1% of the rest's labels) for the shipped presets: a 3 x 3 grid beat
        1 x 1 and 2 x 2 and tied 4 x 4 (items are centered and aligned, so where a feature
        fires says something about the class), and all three stages beat the last one alone
        for SimCLR (+0.5 points), RotNet (+1.7) and the autoencoder (+0.4).
        """
        images = keras.Input(shape=self.input.shape[1:], name="images")
        features = grid_features(self.backbone, self.backbone_inputs(images), self.feature_grid, "levels")
        return keras.Model(images, features)
