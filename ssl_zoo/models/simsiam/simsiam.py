"""SimSiam: a predictor maps each view's projection onto the other's, with a stop-gradient."""

import keras

from ssl_zoo import arguments
from ssl_zoo import layers
from ssl_zoo.models.image_ssl_task import ImageSSLTask
from ssl_zoo.models.simsiam.simsiam_loss import simsiam_loss
from ssl_zoo.models.simsiam.simsiam_sgd import SimSiamSGD
from ssl_zoo.models.two_view_network import build_two_view_network


@keras.saving.register_keras_serializable(package="ssl_zoo")
class SimSiam(ImageSSLTask):
    """SimSiam pretraining task: backbone, projector, predictor and a stop-gradient.

    Chen & He, "Exploring Simple Siamese Representation Learning" (CVPR 2021). Each batch
    of `B` images gives two views (`TwoViewAugmentation`, the same settings for both); each
    view goes through the encoder (backbone, global average pooling, projector) to `z` and
    the predictor to `p`, and the loss (`simsiam_loss`) is
    `-1/2 cos(p_a, sg z_b) - 1/2 cos(p_b, sg z_a)`. No momentum target, no negatives: the
    stop-gradient prevents collapse (Sec. 4.1).

    As in the official code (facebookresearch/simsiam `builder.py`): the projector's
    layers are `Dense - BN - ReLU` and a last `Dense - BN` without scale and offset
    (`ProjectionHead(output_batch_norm=True)`); the predictor is a bottleneck
    `Dense(predictor_hidden_dim) - BN - ReLU - Dense(projection_dim)` with no BN on its
    output; each view goes through the networks on its own, so BatchNormalization uses each
    view's batch statistics (`ssl_zoo.layers.EachView`). The optimizer (`default_optimizer`)
    is SGD with momentum 0.9 whose predictor keeps the learning rate it starts with while
    the rest follows the schedule (`SimSiamSGD`, the code's `--fix-pred-lr`).

    Defaults for small images (the paper's ImageNet settings in brackets): projector of 2
    layers of 256 [3 of 2048]; predictor bottleneck 64 [512], a quarter of the projection;
    views without blur [blur with probability 0.5], crop area in (0.2, 1) [0.2, 1]; SGD learning rate 0.05 for a batch of 256 [0.05 x B / 256],
    momentum 0.9, weight decay 1e-4 (Keras' decoupled decay, where the paper's PyTorch SGD
    adds it to the gradient). With `ssl-zoo pretrain --schedule cosine` the encoder's rate
    follows the paper's cosine decay and the predictor's stays.

    Inputs are pixel values in [0, 255] `(B, H, W, C)`. The model's outputs are a dict:
    `"projections"` and `"predictions"`, `(2B, projection_dim)` each, views a then b;
    outside training `(B, projection_dim)` for the images themselves.

    Args:
        backbone: `keras_hub.models.Backbone` mapping images in [0, 1] to a feature map.
        projection_dim: int. Size of the projection `z` and the prediction `p`.
        projection_hidden_dim: int. Width of the projector's hidden layers.
        projection_layers: int >= 2. Dense layers in the projector.
        predictor_hidden_dim: int. Width of the predictor's bottleneck.
        crop_scale: pair of floats in (0, 1]. Area range of the random resized crops.
        jitter_strength: float >= 0. Color jitter strength (see `TwoViewAugmentation`).
        blur_probability: float in [0, 1]. Blur probability of each view.
        seed: int or None. Seed of the augmentations.
        feature_grid: int >= 1. Cells per side of the representation's grid (see
            `ImageSSLTask.feature_extractor`).

    Example:
    ```python
    (x_train, _), _ = ssl_zoo.data.load_fashion_mnist()
    backbone = ssl_zoo.backbones.SmallResNetBackbone(image_shape=(28, 28, 1))
    model = ssl_zoo.models.SimSiam(backbone)
    model.compile(learning_rate=0.05 * 512 / 256)  # the paper's linear scaling for batch 512
    model.fit(x_train, batch_size=512, epochs=10)
    model.save_to_preset("simsiam_fashion_mnist")
    ```
    """

    def __init__(
        self,
        backbone,
        projection_dim=256,
        projection_hidden_dim=256,
        projection_layers=2,
        predictor_hidden_dim=64,
        crop_scale=(0.2, 1.0),
        jitter_strength=0.5,
        blur_probability=0.0,
        seed=None,
        feature_grid=3,
        preprocessor=None,
        **kwargs,
    ):
        if not (arguments.is_int(projection_layers) and projection_layers >= 2):
            raise ValueError(
                "projection_layers must be an int >= 2 (SimSiam's ImageNet projector has 3). "
                f"Received: projection_layers={projection_layers!r}"
            )
        arguments.check_unit_interval("blur_probability", blur_probability, " (each view's chance of a blur)")
        # === Layers and Functional Model ===
        self.build_image_layers(backbone, feature_grid, preprocessor)
        inputs, tensors = build_two_view_network(
            self,
            projector=layers.ProjectionHead(
                projection_hidden_dim, projection_dim, num_layers=projection_layers,
                output_batch_norm=True, name="projector",
            ),
            predictor=layers.ProjectionHead(predictor_hidden_dim, projection_dim, name="predictor"),
            crop_scale=crop_scale,
            jitter_strength=jitter_strength,
            blur_probabilities=(blur_probability, blur_probability),
            solarize_probabilities=(0.0, 0.0),
            seed=seed,
        )
        outputs = {name: tensors[name] for name in ("projections", "predictions")}
        super().__init__(inputs=inputs, outputs=outputs, **kwargs)

        # === Config ===
        self.projection_dim = projection_dim
        self.projection_hidden_dim = projection_hidden_dim
        self.projection_layers = projection_layers
        self.predictor_hidden_dim = predictor_hidden_dim
        self.crop_scale = tuple(crop_scale)
        self.jitter_strength = jitter_strength
        self.blur_probability = blur_probability
        self.seed = seed

    def default_optimizer(self):
        """SGD, learning rate 0.05, momentum 0.9, weight decay 1e-4; the predictor's rate held."""
        return SimSiamSGD(
            fixed_variables=self.predictor.trainable_variables,
            learning_rate=0.05,
            momentum=0.9,
            weight_decay=1e-4,
        )

    def pretext_loss(self, x, y, y_pred, sample_weight):
        z_a, z_b = keras.ops.split(y_pred["projections"], 2, axis=0)  # (B, P) each
        p_a, p_b = keras.ops.split(y_pred["predictions"], 2, axis=0)
        return simsiam_loss(p_a, p_b, z_a, z_b)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "projection_dim": self.projection_dim,
                "projection_hidden_dim": self.projection_hidden_dim,
                "projection_layers": self.projection_layers,
                "predictor_hidden_dim": self.predictor_hidden_dim,
                "crop_scale": self.crop_scale,
                "jitter_strength": self.jitter_strength,
                "blur_probability": self.blur_probability,
                "seed": self.seed,
            }
        )
        return config
