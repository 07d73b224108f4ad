"""BYOL: an online network predicts a momentum target's projection of another view."""

import keras

from ssl_zoo import arguments
from ssl_zoo import layers
from ssl_zoo.models.byol.byol_loss import byol_loss
from ssl_zoo.models.image_inputs import as_image_array
from ssl_zoo.models.image_ssl_task import ImageSSLTask
from ssl_zoo.models.training_steps import schedule_for_fit
from ssl_zoo.models.two_view_network import build_two_view_network


@keras.saving.register_keras_serializable(package="ssl_zoo")
class BYOL(ImageSSLTask):
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

    Defaults for small images (the paper's ImageNet settings in brackets): projector and
    predictor `Dense(512) - BN - ReLU - Dense(128)` [4096, 256]; momentum 0.99 (the paper's
    0.996 for ImageNet, 0.99 as solo-learn's CIFAR recipe); crop area in (0.2, 1) [0.08, 1];
    the optimizer `PretextTask`'s AdamW, learning rate 1e-3 [LARS, 0.2 x B / 256; Keras has
    no LARS]. Represent images with the online backbone (`embed`), as the paper evaluates.

    Inputs are pixel values in [0, 255] `(B, H, W, C)`. The model's outputs are a dict:
    `"predictions"` `(2B, projection_dim)`, the online predictions of views a then b, and
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
        feature_grid=3,
        preprocessor=None,
        **kwargs,
    ):
        if not (arguments.is_real(momentum) and 0 <= momentum <= 1):
            raise ValueError(
                "momentum must be a number in [0, 1] (the target's momentum at the first step; "
                f"BYOL uses 0.99 to 0.996). Received: momentum={momentum!r}"
            )
        # === Layers and Functional Model ===
        self.build_image_layers(backbone, feature_grid, preprocessor)
        inputs, tensors = build_two_view_network(
            self,
            projector=layers.ProjectionHead(projection_hidden_dim, projection_dim, name="projector"),
            predictor=layers.ProjectionHead(predictor_hidden_dim, projection_dim, name="predictor"),
            crop_scale=crop_scale,
            jitter_strength=jitter_strength,
            blur_probabilities=blur_probabilities,
            solarize_probabilities=solarize_probabilities,
            seed=seed,
        )
        outputs = {name: tensors[name] for name in ("predictions", "views")}
        super().__init__(inputs=inputs, outputs=outputs, **kwargs)
        # Outside the graph (it runs in the loss), so made after it: a layer assigned before
        # the functional model's constructor is not tracked under torch (Keras 3.15.1).
        self.target = layers.MomentumTarget(self.encoder, momentum, schedule="cosine", name="target")

        # === Config ===
        self.projection_dim = projection_dim
        self.projection_hidden_dim = projection_hidden_dim
        self.predictor_hidden_dim = predictor_hidden_dim
        self.momentum = float(momentum)
        self.crop_scale = tuple(crop_scale)
        self.jitter_strength = jitter_strength
        self.blur_probabilities = self.views.blur_probabilities
        self.solarize_probabilities = self.views.solarize_probabilities
        self.seed = seed

    def fit(self, x=None, y=None, batch_size=None, epochs=1, steps_per_epoch=None, initial_epoch=0, **kwargs):
        """`keras.Model.fit` on images alone; the target's momentum reaches 1 at its last step."""
        x = as_image_array(x, "x")
        schedule_for_fit(self.target, "BYOL", x, batch_size, epochs, steps_per_epoch, initial_epoch)
        return super().fit(
            x, y, batch_size=batch_size, epochs=epochs, steps_per_epoch=steps_per_epoch,
            initial_epoch=initial_epoch, **kwargs,
        )

    def pretext_loss(self, x, y, y_pred, sample_weight):
        # The update first: the target of this step averages the weights the last step left.
        self.target.update()
        view_a, view_b = keras.ops.split(y_pred["views"], 2, axis=0)
        z_a, z_b = self.target(view_a), self.target(view_b)  # (B, P) each, batch statistics
        p_a, p_b = keras.ops.split(y_pred["predictions"], 2, axis=0)
        return byol_loss(p_a, p_b, z_a, z_b)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "projection_dim": self.projection_dim,
                "projection_hidden_dim": self.projection_hidden_dim,
                "predictor_hidden_dim": self.predictor_hidden_dim,
                "momentum": self.momentum,
                "crop_scale": self.crop_scale,
                "jitter_strength": self.jitter_strength,
                "blur_probabilities": self.blur_probabilities,
                "solarize_probabilities": self.solarize_probabilities,
                "seed": self.seed,
            }
        )
        return config
