"""RotNet: learn features by recognizing which quarter turn was applied to an image."""

import keras

from ssl_zoo import augmentations
from ssl_zoo.models.image_ssl_task import ImageSSLTask
from ssl_zoo.models.rotnet.rotnet_turns import RotNetTurns


@keras.saving.register_keras_serializable(package="ssl_zoo")
class RotNet(ImageSSLTask):
    """RotNet pretraining task: backbone and a classifier of the four quarter turns.

    Gidaris et al., "Unsupervised Representation Learning by Predicting Image Rotations"
    (ICLR 2018). "We feed the ConvNet model all four rotated copies of an image
    simultaneously" (Sec. 2.2): each training batch of `B` images becomes `4B` rows, the
    batch turned by 0, 90, 180 and 270 degrees (`ssl_zoo.augmentations.quarter_turns`), and
    the labels 0..3 are made on the device. The loss is the cross-entropy of the four-way
    classifier on the globally pooled backbone output; `fit` reports `rotation_accuracy`
    beside it. `fit` takes images only, no labels.

    Quarter turns need square images: images of `image_shape` are center-cropped to the
    backbone's square `S x S` (the central square is kept, nothing is padded). A backbone
    for non-square images is rejected.

    Inputs are pixel values in [0, 255] of shape `(B, H, W, C)` (`(B, H, W)` for grayscale
    NumPy arrays); `predict` returns the turn logits `(B, 4)` of the unturned images. The
    representation to reuse (`embed`, `feature_extractor`) keeps a coarse layout: every
    stage's output averaged over a `feature_grid x feature_grid` grid of cells, as the
    authors evaluate RotNet on spatially pooled feature maps of several layers rather than
    one global vector (measured: docs/decisions.md, "The image representation").

    Args:
        backbone: `keras_hub.models.Backbone` mapping square images in [0, 1] to a feature map.
        image_shape: tuple `(height, width, channels)` of the inputs, each side at least the
            backbone's. None takes the backbone's own square shape.
        feature_grid: int >= 1. Cells per side of the representation's grid (see
            `ImageSSLTask.feature_extractor`).

    Example:
    ```python
    (x_train, _), _ = ssl_zoo.data.load_fashion_mnist()
    backbone = ssl_zoo.backbones.SmallResNetBackbone(image_shape=(28, 28, 1))
    model = ssl_zoo.models.RotNet(backbone)
    model.fit(x_train, batch_size=128, epochs=10)  # 512 rows per step
    model.save_to_preset("rotnet_fashion_mnist")
    ```
    """


    def __init__(self, backbone, image_shape=None, feature_grid=3, preprocessor=None, **kwargs):
        side, other_side, channels = backbone.input_shape[1:]
        if side is None or side != other_side:
            raise ValueError(
                "RotNet turns images by quarter turns, so the backbone must take square "
                f"images of a fixed size. Received: backbone image_shape={(side, other_side, channels)}. "
                "Build the backbone for a square (S, S, C) and pass the image size as "
                "image_shape: RotNet center-crops the images to that square."
            )
        image_shape = (side, side, channels) if image_shape is None else tuple(image_shape)
        if (
            len(image_shape) != 3
            or image_shape[2] != channels
            or min(image_shape[:2]) < side
        ):
            raise ValueError(
                f"image_shape must be (height, width, {channels}) with both sides >= {side}, "
                f"the backbone's square input. Received: image_shape={image_shape}"
            )
        # === Layers ===
        self.build_image_layers(backbone, feature_grid, preprocessor)
        self.square_crop = keras.layers.CenterCrop(side, side, name="square_crop")
        self.turns = RotNetTurns(name="turns")
        self.pooling = keras.layers.GlobalAveragePooling2D(name="features")
        self.classifier = keras.layers.Dense(4, name="turn_classifier")  # a logit per turn

        # === Functional Model ===
        inputs = keras.Input(shape=image_shape, name="images")
        x = self.turns(self.square_crop(self.rescaling(inputs)))
        outputs = self.classifier(self.pooling(self.backbone(x)))
        super().__init__(inputs=inputs, outputs=outputs, **kwargs)
        self.rotation_accuracy = keras.metrics.SparseCategoricalAccuracy(name="rotation_accuracy")

        # === Config ===
        self.image_shape = image_shape

    def backbone_inputs(self, images):
        return self.square_crop(self.rescaling(images))

    def pretext_loss(self, x, y, y_pred, sample_weight):
        labels = augmentations.quarter_turn_labels(keras.ops.shape(y_pred)[0] // 4)  # (4B,)
        self.rotation_accuracy.update_state(labels, y_pred)
        return keras.ops.mean(
            keras.losses.sparse_categorical_crossentropy(labels, y_pred, from_logits=True)
        )

    def get_config(self):
        config = super().get_config()
        config.update({"image_shape": self.image_shape})
        return config
