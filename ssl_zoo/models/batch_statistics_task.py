"""The base of Barlow Twins and VICReg: two views, one encoder, a loss over the global batch."""

import keras
import numpy as np

from ssl_zoo import distribution
from ssl_zoo.models.image_inputs import as_image_array
from ssl_zoo.models.image_ssl_task import ImageSSLTask
from ssl_zoo.models.training_steps import fit_batch_size
from ssl_zoo.models.two_view_network import build_two_view_network


class BatchStatisticsTask(ImageSSLTask):
    """`ImageSSLTask` whose loss reads statistics of the projections over the global batch.

    The network Barlow Twins and VICReg share: `build_two_view_network`'s views
    (`TwoViewAugmentation`) and encoder (backbone, global average pooling, projector), no
    predictor, no target and no stop-gradient. `pretext_loss` gathers both views'
    projections from every replica (`ssl_zoo.distribution.gather_replicas`) and hands them,
    in float32, to `batch_statistics_loss`, which a method writes: its standardization,
    variances and covariances are then the global batch's on any number of replicas, where
    a loss over each replica's share alone would score different statistics (and, averaged,
    a different gradient).

    The model's output is a dict: `"projections"` `(2B, projection_dim)`, views a then b;
    outside training `(B, projection_dim)` for the images themselves.

    Args:
        backbone: `keras_hub.models.Backbone` mapping images in [0, 1] to a feature map.
        projector: layer from the pooled features to the projections.
        crop_scale, jitter_strength, blur_probabilities, solarize_probabilities, seed:
            `TwoViewAugmentation`'s.
        feature_grid: int >= 1. Cells per side of the representation's grid.
        preprocessor: None (images need none).
    """

    def __init__(
        self,
        backbone,
        *,
        projector,
        crop_scale,
        jitter_strength,
        blur_probabilities,
        solarize_probabilities,
        seed,
        feature_grid,
        preprocessor,
        **kwargs,
    ):
        # === Layers and Functional Model ===
        self.build_image_layers(backbone, feature_grid, preprocessor)
        inputs, tensors = build_two_view_network(
            self,
            projector=projector,
            predictor=None,
            crop_scale=crop_scale,
            jitter_strength=jitter_strength,
            blur_probabilities=blur_probabilities,
            solarize_probabilities=solarize_probabilities,
            seed=seed,
        )
        super().__init__(inputs=inputs, outputs={"projections": tensors["projections"]}, **kwargs)

        # === Config ===
        self.crop_scale = tuple(crop_scale)
        self.jitter_strength = jitter_strength
        self.blur_probabilities = self.views.blur_probabilities
        self.solarize_probabilities = self.views.solarize_probabilities
        self.seed = seed

    def fit(self, x=None, y=None, batch_size=None, **kwargs):
        """`keras.Model.fit` on images alone; refuses a batch of one image (the global batch,
        or an array's last batch): a dimension's variance needs two."""
        x = as_image_array(x, "x")
        local = fit_batch_size(x, batch_size)
        if local is not None:
            smallest, held = distribution.global_batch_size(local), ""
            if isinstance(x, np.ndarray) and len(x) % local:
                smallest, held = min(smallest, len(x) % local), f", x holds {len(x)} images"
            if smallest < 2:
                raise ValueError(
                    f"{type(self).__name__} reads each dimension's variance over the batch, which "
                    f"needs 2 images or more; this fit makes a batch of {smallest}. Pass a "
                    "batch_size >= 2 that leaves no last batch of one image. Received: "
                    f"batch_size={batch_size!r}{held}"
                )
        return super().fit(x, y, batch_size=batch_size, **kwargs)

    def pretext_loss(self, x, y, y_pred, sample_weight):
        # Under mixed precision the projections arrive in (b)float16: the loss runs in float32.
        z_a, z_b = keras.ops.split(keras.ops.cast(y_pred["projections"], "float32"), 2, axis=0)
        # Data parallel: the global batch's projections, (B * replicas, P) on every replica.
        return self.batch_statistics_loss(distribution.gather_replicas(z_a), distribution.gather_replicas(z_b))

    def batch_statistics_loss(self, z_a, z_b):
        """The method's loss of the global batch's projections `(N, P)` of views a and b."""
        raise NotImplementedError(f"{type(self).__name__} must define batch_statistics_loss")

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "crop_scale": self.crop_scale,
                "jitter_strength": self.jitter_strength,
                "blur_probabilities": self.blur_probabilities,
                "solarize_probabilities": self.solarize_probabilities,
                "seed": self.seed,
            }
        )
        return config
