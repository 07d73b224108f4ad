"""The base of BYOL and MoCo v3: an online network on two views and a momentum target of it."""

import keras

from ssl_zoo import arguments
from ssl_zoo import layers
from ssl_zoo.models.image_inputs import as_image_array
from ssl_zoo.models.image_ssl_task import ImageSSLTask
from ssl_zoo.models.training_steps import schedule_for_fit
from ssl_zoo.models.two_view_network import build_two_view_network


class MomentumTwoViewTask(ImageSSLTask):
    """`ImageSSLTask` whose online network is scored against a momentum target's projections.

    The network BYOL and MoCo v3 share: `build_two_view_network`'s views
    (`TwoViewAugmentation`), encoder (backbone, global average pooling, projector) and
    predictor, and `target`, a `ssl_zoo.layers.MomentumTarget` of the encoder (backbone and
    projector) whose momentum rises from `momentum` to 1 on a cosine over the steps of
    `fit`. A method passes its projector and predictor to this constructor and writes
    `pretext_loss` from `predictions_and_targets(y_pred)`, which updates the target first:
    the target of a step averages the online weights the previous step left (BYOL's update
    after each optimizer step; MoCo v3's before the keys are computed).

    The model's outputs are a dict: `"predictions"` `((2 + num_local_crops) B,
    projection_dim)`, the online predictions of views a, b, then each local crop, and
    `"views"` `(2B, H, W, C)`, which the target projects in the loss; outside training the
    images are their own views `(B, ...)`.

    Args:
        backbone: `keras_hub.models.Backbone` mapping images in [0, 1] to a feature map.
        projector: layer from the pooled features to the projections (the target copies it).
        predictor: layer from the projections to the predictions.
        momentum: float in [0, 1]. The target's momentum at the first step.
        crop_scale, jitter_strength, blur_probabilities, solarize_probabilities, seed:
            `TwoViewAugmentation`'s.
        feature_grid: int >= 1. Cells per side of the representation's grid.
        preprocessor: None (images need none).
        num_local_crops, local_size, local_crop_scale, local_blur_probability: multi-crop's
            local crops (see
            `build_two_view_network`); a method that takes them saves them in its config.
    """

    def __init__(
        self,
        backbone,
        *,
        projector,
        predictor,
        momentum,
        crop_scale,
        jitter_strength,
        blur_probabilities,
        solarize_probabilities,
        seed,
        feature_grid,
        preprocessor,
        num_local_crops=0,
        local_size=None,
        local_crop_scale=(0.05, 0.4),
        local_blur_probability=0.5,
        **kwargs,
    ):
        arguments.check_unit_interval(
            "momentum", momentum,
            " (the target's momentum at the first step, rising to 1 by the last; 0.99 to 0.996 in the papers)",
        )
        # === Layers and Functional Model ===
        self.build_image_layers(backbone, feature_grid, preprocessor)
        inputs, tensors = build_two_view_network(
            self,
            projector=projector,
            predictor=predictor,
            crop_scale=crop_scale,
            jitter_strength=jitter_strength,
            blur_probabilities=blur_probabilities,
            solarize_probabilities=solarize_probabilities,
            seed=seed,
            num_local_crops=num_local_crops,
            local_size=local_size,
            local_crop_scale=local_crop_scale,
            local_blur_probability=local_blur_probability,
        )
        outputs = {name: tensors[name] for name in ("predictions", "views")}
        super().__init__(inputs=inputs, outputs=outputs, **kwargs)
        # Outside the graph (it runs in the loss), so made after it: a layer assigned before
        # the functional model's constructor is not tracked under torch (Keras 3.15.1).
        self.target = layers.MomentumTarget(self.encoder, momentum, schedule="cosine", name="target")

        # === Config ===
        self.momentum = float(momentum)
        self.crop_scale = tuple(crop_scale)
        self.jitter_strength = jitter_strength
        self.blur_probabilities = self.views.blur_probabilities
        self.solarize_probabilities = self.views.solarize_probabilities
        self.seed = seed
        self.num_local_crops = int(num_local_crops)

    def fit(self, x=None, y=None, batch_size=None, epochs=1, steps_per_epoch=None, initial_epoch=0, **kwargs):
        """`keras.Model.fit` on images alone; the target's momentum reaches 1 at its last step."""
        x = as_image_array(x, "x")
        schedule_for_fit(self.target, type(self).__name__, x, batch_size, epochs, steps_per_epoch, initial_epoch)
        return super().fit(
            x, y, batch_size=batch_size, epochs=epochs, steps_per_epoch=steps_per_epoch,
            initial_epoch=initial_epoch, **kwargs,
        )

    def predictions_and_targets(self, y_pred):
        """Update the target, then project both views with it: what the loss compares.

        Args:
            y_pred: the model's training outputs (`"predictions"`, `"views"`).

        Returns:
            `(p_a, p_b, z_a, z_b)`, `(B, projection_dim)` each: the online predictions of
            views a and b, and the target's projections of views a and b, on each view's
            batch statistics. No gradient reaches the weights through `z_a`, `z_b`.
        """
        # The update first: the target of this step averages the weights the last step left.
        self.target.update()
        view_a, view_b = keras.ops.split(y_pred["views"], 2, axis=0)
        z_a, z_b = self.target(view_a), self.target(view_b)
        p_a, p_b = self.split_predictions(y_pred)[:2]
        return p_a, p_b, z_a, z_b

    def split_predictions(self, y_pred):
        """The online predictions `(B, projection_dim)` of views a, b, then each local crop."""
        return keras.ops.split(y_pred["predictions"], 2 + self.num_local_crops, axis=0)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "momentum": self.momentum,
                "crop_scale": self.crop_scale,
                "jitter_strength": self.jitter_strength,
                "blur_probabilities": self.blur_probabilities,
                "solarize_probabilities": self.solarize_probabilities,
                "seed": self.seed,
            }
        )
        return config
