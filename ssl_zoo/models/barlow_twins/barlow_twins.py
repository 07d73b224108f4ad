"""Barlow Twins: the cross-correlation of two views' projections is pushed to the identity."""

import keras

from ssl_zoo import arguments
from ssl_zoo import layers
from ssl_zoo.models.barlow_twins.barlow_twins_loss import barlow_twins_loss
from ssl_zoo.models.batch_statistics_task import BatchStatisticsTask


@keras.saving.register_keras_serializable(package="ssl_zoo")
class BarlowTwins(BatchStatisticsTask):
    """Barlow Twins pretraining task: one encoder on two views, a redundancy-reduction loss.

    Zbontar, Jing, Misra, LeCun & Deny, "Barlow Twins: Self-Supervised Learning via
    Redundancy Reduction" (ICML 2021). Each batch of `B` images gives two views
    (`TwoViewAugmentation`, BYOL's asymmetric pair the paper takes: blur with probability
    1.0 and 0.1, solarization with probability 0.0 and 0.2); the encoder (backbone, global
    average pooling, projector) maps each to `z`, and the loss (`barlow_twins_loss`) pushes
    the cross-correlation of the two views' standardized projections, over the global
    batch, to the identity. No predictor, no momentum target, no negatives.

    As in the official code (facebookresearch/barlowtwins `main.py`): the projector is
    `Dense - BN - ReLU` twice and a last `Dense` without bias (`ProjectionHead(num_layers=3,
    output_bias=False)`: the loss standardizes a bias away); each view goes through the encoder on its own, so BatchNormalization
    uses each view's batch statistics (the global batch's under data parallelism, the code's
    `SyncBatchNorm`).

    Defaults for small images (the paper's ImageNet settings in brackets): projector of 3
    layers of 512 [8192]; `redundancy_weight` 0.0051 [0.0051], `loss_scale` 1 [1; solo-learn's
    CIFAR recipe 0.1]; crop area in (0.2, 1) [0.08, 1]; the optimizer `PretextTask`'s AdamW,
    learning rate 1e-3 [LARS, 0.2 x B / 256 for the weights; Keras has no LARS].

    Inputs are pixel values in [0, 255] `(B, H, W, C)`. The model's output is a dict:
    `"projections"` `(2B, projection_dim)`, views a then b; outside training
    `(B, projection_dim)` for the images themselves.

    Args:
        backbone: `keras_hub.models.Backbone` mapping images in [0, 1] to a feature map.
        projection_dim: int. Size of the projection `z` (`D` of the cross-correlation).
        projection_hidden_dim: int. Width of the projector's hidden layers.
        redundancy_weight: float >= 0. `lambda`, the weight of the off-diagonal terms.
        loss_scale: float > 0. Multiplies the loss.
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
    model = ssl_zoo.models.BarlowTwins(backbone, loss_scale=0.1)
    model.fit(x_train, batch_size=256, epochs=10)
    model.save_to_preset("barlow_twins_fashion_mnist")
    ```
    """

    def __init__(
        self,
        backbone,
        projection_dim=512,
        projection_hidden_dim=512,
        redundancy_weight=0.0051,
        loss_scale=1.0,
        crop_scale=(0.2, 1.0),
        jitter_strength=0.5,
        blur_probabilities=(1.0, 0.1),
        solarize_probabilities=(0.0, 0.2),
        seed=None,
        feature_grid=3,
        preprocessor=None,
        **kwargs,
    ):
        arguments.check_non_negative(
            "redundancy_weight", redundancy_weight, " (the paper's lambda, 0.0051; about 1 / projection_dim)"
        )
        arguments.check_positive("loss_scale", loss_scale, " (1 in the paper, 0.1 in solo-learn's CIFAR recipe)")
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
        self.redundancy_weight = float(redundancy_weight)
        self.loss_scale = float(loss_scale)

    def batch_statistics_loss(self, z_a, z_b):
        return barlow_twins_loss(z_a, z_b, self.redundancy_weight, self.loss_scale)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "projection_dim": self.projection_dim,
                "projection_hidden_dim": self.projection_hidden_dim,
                "redundancy_weight": self.redundancy_weight,
                "loss_scale": self.loss_scale,
            }
        )
        return config
