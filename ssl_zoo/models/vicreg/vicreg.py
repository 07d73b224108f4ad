"""VICReg: two views' projections kept alike, each dimension's variance up, covariances down."""

import keras

from ssl_zoo import arguments
from ssl_zoo import layers
from ssl_zoo.models.batch_statistics_task import BatchStatisticsTask
from ssl_zoo.models.vicreg.vicreg_loss import vicreg_loss


@keras.saving.register_keras_serializable(package="ssl_zoo")
class VICReg(BatchStatisticsTask):
    """VICReg pretraining task: one encoder on two views, variance-invariance-covariance terms.

    Bardes, Ponce & LeCun, "VICReg: Variance-Invariance-Covariance Regularization for
    Self-Supervised Learning" (ICLR 2022). Each batch of `B` images gives two views
    (`TwoViewAugmentation`, BYOL's asymmetric pair the paper takes: blur with probability
    1.0 and 0.1, solarization with probability 0.0 and 0.2); the encoder (backbone, global
    average pooling, projector, "expander" in the paper) maps each to `z`, and the loss
    (`vicreg_loss`) weighs the views' mean squared error against a hinge on each
    dimension's standard deviation and the squared covariances, over the global batch.

    As in the official code (facebookresearch/vicreg `main_vicreg.py`): the projector is
    `Dense - BN - ReLU` twice and a last `Dense` without bias (`ProjectionHead(num_layers=3,
    output_bias=False)`: the loss reads the views' differences and centered statistics, where
    a bias cancels); each view goes through the encoder
    on its own, so BatchNormalization uses each view's batch statistics (the global batch's
    under data parallelism).

    Defaults for small images (the paper's ImageNet settings in brackets): projector of 3
    layers of 512 [8192]; weights 25 / 25 / 1 [25 / 25 / 1]; crop area in (0.2, 1)
    [0.08, 1]; the optimizer `PretextTask`'s AdamW, learning rate 1e-3 [LARS, 0.2 x B / 256,
    weight decay 1e-6; Keras has no LARS].

    Inputs are pixel values in [0, 255] `(B, H, W, C)`. The model's output is a dict:
    `"projections"` `(2B, projection_dim)`, views a then b; outside training
    `(B, projection_dim)` for the images themselves.

    Args:
        backbone: `keras_hub.models.Backbone` mapping images in [0, 1] to a feature map.
        projection_dim: int. Size of the projection `z`.
        projection_hidden_dim: int. Width of the projector's hidden layers.
        invariance_weight: float >= 0. `lambda`, the weight of the mean squared error.
        variance_weight: float >= 0. `mu`, the weight of the standard deviations' hinge.
        covariance_weight: float >= 0. `nu`, the weight of the squared covariances.
        crop_scale: pair of floats in (0, 1]. Area range of the random resized crops.
        jitter_strength: float >= 0. Color jitter strength (see `TwoViewAugmentation`).
        blur_probabilities: pair of floats in [0, 1]. Blur probability of views a and b.
        solarize_probabilities: pair of floats in [0, 1]. Solarization probability of views
            a and b.
        seed: int or None. Seed of the augmentations.
        feature_grid: int >= 1. Cells per side of the representation's grid (see
            `ImageSSLTask.feature_extractor`).

    Example:
    ```python
    (x_train, _), _ = ssl_zoo.data.load_fashion_mnist()
    backbone = ssl_zoo.backbones.SmallResNetBackbone(image_shape=(28, 28, 1))
    model = ssl_zoo.models.VICReg(backbone)
    model.fit(x_train, batch_size=256, epochs=10)
    model.save_to_preset("vicreg_fashion_mnist")
    ```
    """

    def __init__(
        self,
        backbone,
        projection_dim=512,
        projection_hidden_dim=512,
        invariance_weight=25.0,
        variance_weight=25.0,
        covariance_weight=1.0,
        crop_scale=(0.2, 1.0),
        jitter_strength=0.5,
        blur_probabilities=(1.0, 0.1),
        solarize_probabilities=(0.0, 0.2),
        seed=None,
        feature_grid=3,
        preprocessor=None,
        **kwargs,
    ):
        for name, value in (("invariance_weight", invariance_weight), ("variance_weight", variance_weight),
                            ("covariance_weight", covariance_weight)):
            arguments.check_non_negative(name, value, " (the paper's weights are 25, 25 and 1)")
        # === Layers and Functional Model ===
        super().__init__(
            backbone,
            projector=layers.ProjectionHead(
                projection_hidden_dim, projection_dim, num_layers=3, output_bias=False, name="projector"
            ),
            crop_scale=crop_scale, jitter_strength=jitter_strength,
            blur_probabilities=blur_probabilities, solarize_probabilities=solarize_probabilities,
            seed=seed, feature_grid=feature_grid, preprocessor=preprocessor, **kwargs,
        )

        # === Config ===
        self.projection_dim = projection_dim
        self.projection_hidden_dim = projection_hidden_dim
        self.invariance_weight = float(invariance_weight)
        self.variance_weight = float(variance_weight)
        self.covariance_weight = float(covariance_weight)

    def batch_statistics_loss(self, z_a, z_b):
        return vicreg_loss(z_a, z_b, self.invariance_weight, self.variance_weight, self.covariance_weight)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "projection_dim": self.projection_dim,
                "projection_hidden_dim": self.projection_hidden_dim,
                "invariance_weight": self.invariance_weight,
                "variance_weight": self.variance_weight,
                "covariance_weight": self.covariance_weight,
            }
        )
        return config
