"""BYOL: an online network predicts a momentum target's projection of another view."""

import keras

from ssl_zoo import layers
from ssl_zoo.models.byol.byol_loss import byol_loss
from ssl_zoo.models.momentum_two_view_task import MomentumTwoViewTask


@keras.saving.register_keras_serializable(package="ssl_zoo")
class BYOL(MomentumTwoViewTask):
    """BYOL pretraining task: online backbone, projector and predictor; an EMA target.

    Grill et al., "Bootstrap Your Own Latent: A New Approach to Self-Supervised Learning"
    (NeurIPS 2020). Each batch of `B` images gives two views (`TwoViewAugmentation`, BYOL's
    asymmetric pair: blur with probability 1.0 and 0.1, solarization with probability 0.0
    and 0.2). The online network (backbone, global average pooling, projector) and the
    predictor run on each view; the target network, an exponential moving average of the
    online backbone and projector (`ssl_zoo.layers.MomentumTarget`), projects each view, and
    the loss (`byol_loss`) is `2 - 2 cos(p, sg(z'))` summed over both view orders.

    As in the official code (deepmind-research `byol/byol_experiment.py`): each view goes
    through the networks on its own, so BatchNormalization uses each view's batch
    statistics (`ssl_zoo.layers.EachView`); the target runs in training mode, on batch
    statistics, and only its parameters are averaged; its momentum follows the cosine
    schedule `tau_k = 1 - (1 - momentum) (cos(pi k / K) + 1) / 2` from `momentum` to 1 over
    the `K` steps of `fit` (counted from `fit`'s arguments; a later `fit` continues from the
    step reached to the end of its own steps). The target is updated at the start of each
    step from the online weights the previous step left, the same as BYOL's update after
    each optimizer step.

    Multi-crop (`num_local_crops > 0`, as solo-learn's BYOL): each image also gives
    `num_local_crops` local crops at a smaller size
    (`ssl_zoo.augmentations.MultiCropAugmentation`), which the online network and the
    predictor run on, each crop on its own; the target projects the two views alone, and
    each local crop's prediction is regressed on both (`byol_loss`'s `p_local`).

    Defaults for small images (the paper's ImageNet settings in brackets): projector and
    predictor `Dense(512) - BN - ReLU - Dense(128)` [4096, 256]; momentum 0.99 (the paper's
    0.996 for ImageNet, 0.99 as solo-learn's CIFAR recipe); crop area in (0.2, 1) [0.08, 1];
    the optimizer `PretextTask`'s AdamW, learning rate 1e-3 [LARS, 0.2 x B / 256; Keras has
    no LARS]. Represent images with the online backbone (`embed`), as the paper evaluates.

    Inputs are pixel values in [0, 255] `(B, H, W, C)`. The model's outputs are a dict:
    `"predictions"` `((2 + num_local_crops) B, projection_dim)`, the online predictions of
    views a, b, then each local crop, and
    `"views"`, the views themselves `(2B, H, W, C)`, which the target projects in the loss;
    outside training the images are their own views `(B, ...)`.

    Args:
        backbone: `keras_hub.models.Backbone` mapping images in [0, 1] to a feature map.
        projection_dim: int. Size of the projection `z` and the prediction `p`.
        projection_hidden_dim: int. Hidden width of the projector.
        predictor_hidden_dim: int. Hidden width of the predictor.
        momentum: float in [0, 1]. The target's momentum at the first step (`tau_base`).
        crop_scale: pair of floats in (0, 1]. Area range of the random resized crops.
        jitter_strength: float >= 0. Color jitter strength (see `TwoViewAugmentation`).
        blur_probabilities: pair of floats in [0, 1]. Blur probability of views a and b.
        solarize_probabilities: pair of floats in [0, 1]. Solarization probability of views
            a and b.
        seed: int or None. Seed of the augmentations.
        num_local_crops: int >= 0. Local crops per image besides the two views (0: BYOL's
            two views alone).
        local_size: None, int or pair, at most the image size: the local crops' size
            (None: 3/7 of each side, see `MultiCropAugmentation`).
        local_crop_scale: pair of floats in (0, 1]. Area range of the local crops.
        local_blur_probability: float in [0, 1]. Blur probability of each local crop.
        feature_grid: int >= 1. Cells per side of the representation's grid (see
            `ImageSSLTask.feature_extractor`).

    Example:
    ```python
    (x_train, _), _ = ssl_zoo.data.load_fashion_mnist()
    backbone = ssl_zoo.backbones.SmallResNetBackbone(image_shape=(28, 28, 1))
    model = ssl_zoo.models.BYOL(backbone)
    model.fit(x_train, batch_size=256, epochs=10)  # the momentum reaches 1 at the last step
    model.save_to_preset("byol_fashion_mnist")
    ```
    """

    def __init__(
        self,
        backbone,
        projection_dim=128,
        projection_hidden_dim=512,
        predictor_hidden_dim=512,
        momentum=0.99,
        crop_scale=(0.2, 1.0),
        jitter_strength=0.5,
        blur_probabilities=(1.0, 0.1),
        solarize_probabilities=(0.0, 0.2),
        seed=None,
        num_local_crops=0,
        local_size=None,
        local_crop_scale=(0.05, 0.4),
        local_blur_probability=0.5,
        feature_grid=3,
        preprocessor=None,
        **kwargs,
    ):
        # === Layers and Functional Model ===
        super().__init__(
            backbone,
            projector=layers.ProjectionHead(projection_hidden_dim, projection_dim, name="projector"),
            predictor=layers.ProjectionHead(predictor_hidden_dim, projection_dim, name="predictor"),
            momentum=momentum, crop_scale=crop_scale, jitter_strength=jitter_strength,
            blur_probabilities=blur_probabilities, solarize_probabilities=solarize_probabilities,
            seed=seed, feature_grid=feature_grid, preprocessor=preprocessor, num_local_crops=num_local_crops,
            local_size=local_size, local_crop_scale=local_crop_scale, local_blur_probability=local_blur_probability,
            **kwargs,
        )

        # === Config ===
        self.projection_dim = projection_dim
        self.projection_hidden_dim = projection_hidden_dim
        self.predictor_hidden_dim = predictor_hidden_dim
        self.local_size = self.views.local_size if num_local_crops else local_size
        self.local_crop_scale = tuple(local_crop_scale)
        self.local_blur_probability = local_blur_probability

    def pretext_loss(self, x, y, y_pred, sample_weight):
        return byol_loss(*self.predictions_and_targets(y_pred), p_local=self.split_predictions(y_pred)[2:])

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "projection_dim": self.projection_dim,
                "projection_hidden_dim": self.projection_hidden_dim,
                "predictor_hidden_dim": self.predictor_hidden_dim,
                "num_local_crops": self.num_local_crops,
                "local_size": self.local_size,
                "local_crop_scale": self.local_crop_scale,
                "local_blur_probability": self.local_blur_probability,
            }
        )
        return config
