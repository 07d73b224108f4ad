"""MoCo v3: each view's query is contrasted with a momentum encoder's keys of the other view."""

import keras

from ssl_zoo import arguments
from ssl_zoo import distribution
from ssl_zoo import layers
from ssl_zoo.models.momentum_two_view_task import MomentumTwoViewTask
from ssl_zoo.models.mocov3.mocov3_loss import mocov3_loss


@keras.saving.register_keras_serializable(package="ssl_zoo")
class MoCoV3(MomentumTwoViewTask):
    """MoCo v3 pretraining task: a query encoder with a predictor, a momentum key encoder.

    Chen, Xie & He, "An Empirical Study of Training Self-Supervised Vision Transformers"
    (ICCV 2021). Each batch of `B` images gives two views (`TwoViewAugmentation`, the
    asymmetric pair MoCo v3 takes from BYOL: blur with probability 1.0 and 0.1, solarization
    with probability 0.0 and 0.2). The query encoder (backbone, global average pooling,
    projector) and the predictor map each view to a query `q`; the momentum encoder, an
    exponential moving average of the backbone and projector (`ssl_zoo.layers.MomentumTarget`),
    maps each view to a key `k`; the loss (`mocov3_loss`) is
    `ctr(q_a, k_b) + ctr(q_b, k_a)`, `ctr(q, k) = 2T CE(q^ k^T / T)` with each query's own
    key as its label and the batch's other keys as negatives. No queue (MoCo v1/v2's): the
    negatives are the keys of the global batch.

    As in the official code (facebookresearch/moco-v3 `builder.py`, `MoCo_ResNet`): the
    projector is `Dense - BN - ReLU - Dense - BN` whose last BatchNormalization has no scale
    and offset (`ProjectionHead(output_batch_norm=True)`); the predictor
    `Dense - BN - ReLU - Dense` has none on its output (the code's ViT predictor has one; the
    backbones here are ResNets; its last Dense keeps a bias, which the code's has not). The
    momentum encoder is updated before the keys are computed, at the start of each step, from
    the weights the last step left; its momentum follows the cosine schedule
    `m_k = 1 - (1 - momentum) (cos(pi k / K) + 1) / 2` from `momentum` to 1 over the `K` steps
    of `fit` (the code's `--moco-m-cos`; counted as `BYOL.fit` counts them). Each view goes
    through the networks on its own, so BatchNormalization uses each view's batch statistics;
    the momentum encoder runs in training mode and only its parameters are averaged. Under
    data parallelism the statistics are the global batch's (the code's `SyncBatchNorm`), the
    keys are gathered from every replica (its `concat_all_gather`) and so are the queries:
    every replica computes the loss of the global batch, the mean of the code's per-GPU
    losses (its queries against the global keys).

    Defaults for small images (the paper's ResNet-50 settings in brackets): projector and
    predictor `Dense(512) - BN - ReLU - Dense(128)` [4096, 256]; temperature 0.2 [the code's
    1.0 for ResNet-50, 0.2 for ViTs; solo-learn's CIFAR recipe 0.2]; momentum 0.99 [0.99,
    0.996 for 1000 epochs]; crop area in (0.2, 1) [0.2, 1, the code's ResNet-50 recipes];
    the optimizer `PretextTask`'s AdamW, learning rate 1e-3 [LARS, 0.6 x B / 256 for 100
    epochs; Keras has no LARS]. Represent images with the query encoder's backbone (`embed`),
    as the paper evaluates.

    Inputs are pixel values in [0, 255] `(B, H, W, C)`. The model's outputs are a dict:
    `"predictions"` `(2B, projection_dim)`, the queries of views a then b, and `"views"`,
    the views themselves `(2B, H, W, C)`, which the momentum encoder maps to the keys in the
    loss; outside training the images are their own views `(B, ...)`.

    Args:
        backbone: `keras_hub.models.Backbone` mapping images in [0, 1] to a feature map.
        projection_dim: int. Size of the projections (keys) and the predictions (queries).
        projection_hidden_dim: int. Hidden width of the projector.
        predictor_hidden_dim: int. Hidden width of the predictor.
        temperature: float > 0 (a Python or NumPy scalar). `T` of the loss.
        momentum: float in [0, 1]. The momentum encoder's momentum at the first step.
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
    model = ssl_zoo.models.MoCoV3(backbone, temperature=0.2)
    model.fit(x_train, batch_size=256, epochs=10)  # the momentum reaches 1 at the last step
    model.save_to_preset("mocov3_fashion_mnist")
    ```
    """

    def __init__(
        self,
        backbone,
        projection_dim=128,
        projection_hidden_dim=512,
        predictor_hidden_dim=512,
        temperature=0.2,
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
        arguments.check_positive("temperature", temperature, " (MoCo v3 uses 0.2 to 1.0)")
        # === Layers and Functional Model ===
        projector = layers.ProjectionHead(
            projection_hidden_dim, projection_dim, output_batch_norm=True, name="projector"
        )
        predictor = layers.ProjectionHead(predictor_hidden_dim, projection_dim, name="predictor")
        super().__init__(
            backbone, projector=projector, predictor=predictor, momentum=momentum,
            crop_scale=crop_scale, jitter_strength=jitter_strength,
            blur_probabilities=blur_probabilities, solarize_probabilities=solarize_probabilities,
            seed=seed, feature_grid=feature_grid, preprocessor=preprocessor, **kwargs,
        )

        # === Config ===
        self.projection_dim = projection_dim
        self.projection_hidden_dim = projection_hidden_dim
        self.predictor_hidden_dim = predictor_hidden_dim
        self.temperature = float(temperature)

    def pretext_loss(self, x, y, y_pred, sample_weight):
        # Under mixed precision the queries and keys arrive in (b)float16: the loss runs in float32.
        q_a, q_b, k_a, k_b = (keras.ops.cast(t, "float32") for t in self.predictions_and_targets(y_pred))
        # Data parallel: queries and keys of the global batch, (B * replicas, P) on every replica.
        q_a, q_b, k_a, k_b = (distribution.gather_replicas(t) for t in (q_a, q_b, k_a, k_b))
        return mocov3_loss(q_a, q_b, k_a, k_b, self.temperature)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "projection_dim": self.projection_dim,
                "projection_hidden_dim": self.projection_hidden_dim,
                "predictor_hidden_dim": self.predictor_hidden_dim,
                "temperature": self.temperature,
            }
        )
        return config
