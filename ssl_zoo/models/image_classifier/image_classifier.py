"""A classifier on a pretrained image backbone: the fine-tuning end of every image preset."""

import keras

from ssl_zoo.backbones import SmallResNetBackbone
from ssl_zoo.models.classifier import Classifier
from ssl_zoo.models.classifier_inputs import check_classifier_args
from ssl_zoo.models.image_features import check_feature_grid
from ssl_zoo.models.image_features import grid_features
from ssl_zoo.models.image_inputs import prepare_images
from ssl_zoo.models.image_inputs import training_images


@keras.saving.register_keras_serializable(package="ssl_zoo")
class ImageClassifier(Classifier):
    """Backbone, its representation, dropout and a dense layer of `num_classes` logits.

    Load it from any image preset (`SimCLR`, `RotNet`, `Autoencoder`): the backbone comes
    with its pretrained weights and the head starts fresh, as with keras-hub's
    `ImageClassifier.from_preset(..., num_classes=K)`. Pixel rescaling is part of the model,
    so it takes the same inputs as the preset: values in [0, 255], `(B, H, W, C)` (or
    `(B, H, W)` for grayscale NumPy arrays). `predict` returns logits.

    The head reads the representation the image presets are measured on
    (`ssl_zoo.models.image_features.grid_features`): every stage of the backbone averaged
    over `feature_grid x feature_grid` cells (docs/decisions.md, "The image representation").

    Full fine-tuning trains everything; for a frozen backbone call
    `classifier.set_backbone_trainable(False)` (keras-hub's `classifier.backbone.trainable =
    False`) before `compile`.
    `from_preset(name, num_classes=K, load_weights=False)` gives the same architecture from
    scratch.

    Args:
        backbone: `keras_hub.models.Backbone` mapping images in [0, 1] to a feature map.
        num_classes: int >= 2.
        dropout: float in [0, 1). Dropout before the dense layer.
        feature_grid: int >= 1. Cells per side of the grid each stage is averaged over
            (1: global average pooling).

    Example:
    ```python
    (x_train, y_train), (x_test, y_test) = ssl_zoo.data.load_fashion_mnist()
    classifier = ssl_zoo.models.ImageClassifier.from_preset(
        "simclr_resnet_fashion_mnist", num_classes=10
    )
    classifier.fit(x_train[:600], y_train[:600], batch_size=64, epochs=30)
    classifier.evaluate(x_test, y_test)  # [loss, accuracy]
    ```
    """

    backbone_cls = SmallResNetBackbone
    preprocessor_cls = None

    def __init__(self, backbone, num_classes, dropout=0.0, feature_grid=3, preprocessor=None, **kwargs):
        check_classifier_args(num_classes, dropout)
        height, width, channels = backbone.input_shape[1:]
        # === Layers ===
        self.backbone = backbone
        self.preprocessor = preprocessor
        self.rescaling = keras.layers.Rescaling(1.0 / 255, name="rescaling")
        self.output_dropout = keras.layers.Dropout(dropout, name="output_dropout")
        self.output_dense = keras.layers.Dense(num_classes, name="logits")
        check_feature_grid(backbone, feature_grid)

        # === Functional Model ===
        inputs = keras.Input(shape=(height, width, channels), name="images")
        features = grid_features(self.backbone, self.rescaling(inputs), feature_grid, "features")
        outputs = self.output_dense(self.output_dropout(features))
        super().__init__(inputs=inputs, outputs=outputs, **kwargs)

        # === Config ===
        self.num_classes = num_classes
        self.dropout = dropout
        self.feature_grid = feature_grid

    def get_config(self):
        config = super().get_config()
        config.update({"feature_grid": self.feature_grid})
        return config

    def fit(self, x=None, y=None, *args, **kwargs):
        return super().fit(training_images(x, type(self).__name__), y, *args, **kwargs)

    def prepare_inputs(self, x):
        return prepare_images(x, tuple(self.input.shape[1:]), "x")
