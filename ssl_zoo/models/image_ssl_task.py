"""The base of tasks that learn from unlabeled images."""

import keras
import numpy as np

from ssl_zoo.backbones import SmallResNetBackbone
from ssl_zoo.models.image_features import check_feature_grid
from ssl_zoo.models.image_features import grid_features
from ssl_zoo.models.image_inputs import prepare_images
from ssl_zoo.models.image_inputs import training_images
from ssl_zoo.models.pretext_task import PretextTask


class ImageSSLTask(PretextTask):
    """`PretextTask` whose `fit` takes images alone and whose NumPy inputs are checked images.

    The pretext targets (views, turns, clean pixels) are made from the images inside the
    model, so `fit(images)` takes no labels. NumPy inputs (and lists of images) go through
    `prepare_images` against the model's input shape `(height, width, channels)`; `fit`
    refuses float images already scaled to [0, 1] (`check_pixel_scale`).

    A method's constructor calls `self.build_image_layers(backbone, feature_grid,
    preprocessor)` first: it sets `backbone`, `preprocessor` (None: images need none),
    `rescaling` (pixels to [0, 1]) and `feature_grid` (checked against the backbone), which `backbone_inputs`, `feature_extractor`, `embed` and `get_config`
    read.
    """

    modality = "images"
    has_held_out_loss = False
    backbone_cls = SmallResNetBackbone  # keras-hub's from_preset matches it exactly
    preprocessor_cls = None

    def build_image_layers(self, backbone, feature_grid, preprocessor=None):
        """Set `backbone`, `preprocessor`, `rescaling` and `feature_grid`; refuse a grid the
        backbone's smallest feature map cannot hold."""
        check_feature_grid(backbone, feature_grid)
        self.backbone = backbone
        self.preprocessor = preprocessor
        self.rescaling = keras.layers.Rescaling(1.0 / 255, name="rescaling")
        self.feature_grid = feature_grid

    def accept_smaller_images(self):
        """Relax the backbone's input check to any height and width (its channels kept): for
        tasks that run it on crops or tiles smaller than the images. The task's own inputs
        are still checked against its image shape (`prepare_inputs`)."""
        self.backbone.input_spec = keras.layers.InputSpec(ndim=4, axes={-1: self.backbone.input_shape[-1]})

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
        off: the backbone sees `backbone_inputs(images)`. How the grid and the levels were
        chosen: docs/decisions.md, "The image representation".
        """
        images = keras.Input(shape=self.input.shape[1:], name="images")
        features = grid_features(self.backbone, self.backbone_inputs(images), self.feature_grid, "levels")
        return keras.Model(images, features)

    def embed(self, x, batch_size=256, verbose=0):
        """`feature_extractor()` on images `x` `(n, H, W[, C])` in [0, 255]: float32 `(n, features)`."""
        images = self.prepare_inputs(x)
        if not isinstance(images, np.ndarray):
            raise ValueError(f"x must be a NumPy array of images. Received: {type(images).__name__}")
        features = self.feature_extractor().predict(images, batch_size=batch_size, verbose=verbose)
        return np.asarray(features, dtype="float32")

    @classmethod
    def classifier_class(cls):
        from ssl_zoo.models.image_classifier import ImageClassifier

        return ImageClassifier

    def get_config(self):
        config = super().get_config()
        config.update({"feature_grid": self.feature_grid})
        return config
