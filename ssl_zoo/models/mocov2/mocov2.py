"""MoCo v2: a query encoder against a momentum key encoder and a queue of past keys."""

import keras

from ssl_zoo import arguments
from ssl_zoo import distribution
from ssl_zoo import layers
from ssl_zoo.models.image_inputs import as_image_array
from ssl_zoo.models.image_ssl_task import ImageSSLTask
from ssl_zoo.models.mocov2.mocov2_loss import mocov2_loss
from ssl_zoo.models.training_steps import fit_batch_size
from ssl_zoo.models.training_steps import schedule_for_fit
from ssl_zoo.models.two_view_network import build_two_view_network


@keras.saving.register_keras_serializable(package="ssl_zoo")
class MoCoV2(ImageSSLTask):
    """MoCo v2 pretraining task: query encoder, momentum key encoder, a FIFO queue of keys.

    He et al., "Momentum Contrast for Unsupervised Visual Representation Learning" (CVPR 2020)
    with the changes of Chen et al., "Improved Baselines with Momentum Contrastive Learning"
    (2020): an MLP head, blur, and T = 0.2. Each batch of `B` images gives two views of the
    same settings (`TwoViewAugmentation`). The query encoder (backbone, global average pooling,
    projector `Dense - ReLU - Dense`, no BatchNormalization in the head) projects each view;
    the key encoder, an exponential moving average of it (`ssl_zoo.layers.MomentumTarget`),
    projects the other view, and `mocov2_loss` scores each query against its own key and the
    queue (`ssl_zoo.layers.KeyQueue`) at temperature `temperature`. After the loss the keys of
    the step, gathered from every replica in replica order, are enqueued.

    - `symmetric=True` (the default, solo-learn's MoCo v2+): both view orders, averaged,
      `(l(q_a, k_b, Q_b) + l(q_b, k_a, Q_a)) / 2`, with one queue per view. `False` is the
      official code's single direction `l(q_a, k_b, Q)`, one queue of the keys of view b (the
      query encoder still projects view b, which the loss leaves unused).
    - The key encoder is updated before it computes the keys, as in the official code, with
      a momentum on a cosine schedule from `momentum` to `final_momentum` over the `K` steps
      of `fit` (solo-learn's MoCo v2+; the official code holds 0.999): set both equal for a
      constant momentum. The key encoder runs in training mode, on each view's batch
      statistics, and only its parameters are averaged.
    - Shuffling BN (the official code's guard against information leaking through
      BatchNormalization across GPUs) is not done, as in solo-learn and lightly; on one
      device it changes nothing, and under `DataParallel` the statistics are the global
      batch's (docs/methods.md).

    Defaults for small images (the paper's ImageNet settings in brackets): projector
    `Dense(512) - ReLU - Dense(128)` [2048, 128]; queue of 4,096 keys [65,536]; momentum 0.99
    to 0.999 [0.999 held]; crop area in (0.2, 1); no blur [probability 0.5]; `PretextTask`'s
    AdamW, learning rate 1e-3 [SGD, 0.03 x B / 256]. The queue size must be a multiple of the
    global batch (as the official code asserts); `fit` checks it where the batch size is known.
    Represent images with the query encoder's backbone (`embed`).

    Inputs are pixel values in [0, 255] `(B, H, W, C)`. The model's outputs are a dict:
    `"projections"` `(2B, projection_dim)`, the queries of views a then b, and `"views"`, the
    views themselves `(2B, H, W, C)`, which the key encoder projects in the loss; outside
    training the images are their own views `(B, ...)`.

    Args:
        backbone: `keras_hub.models.Backbone` mapping images in [0, 1] to a feature map.
        projection_dim: int. Size of the queries and keys.
        projection_hidden_dim: int. Hidden width of the projector.
        queue_size: int >= 1. Keys in the queue (per view when symmetric).
        temperature: float > 0. Softmax temperature `T`.
        momentum: float in [0, 1]. The key encoder's momentum at the first step.
        final_momentum: float in [0, 1]. Its momentum at the last step of `fit`.
        symmetric: bool. Both view orders (True) or the official single direction.
        crop_scale: pair of floats in (0, 1]. Area range of the random resized crops.
        jitter_strength: float >= 0. Color jitter strength (see `TwoViewAugmentation`).
        blur_probability: float in [0, 1]. Each view's chance of a blur.
        seed: int or None. Seed of the augmentations and the queue's initial keys.
        feature_grid: int >= 1. Cells per side of the representation's grid (see
            `ImageSSLTask.feature_extractor`).

    Example:
    ```python
    (x_train, _), _ = ssl_zoo.data.load_fashion_mnist()
    backbone = ssl_zoo.backbones.SmallResNetBackbone(image_shape=(28, 28, 1))
    model = ssl_zoo.models.MoCoV2(backbone, queue_size=4096)
    model.fit(x_train, batch_size=256, epochs=10)  # 4,096 = 16 batches of 256
    model.save_to_preset("mocov2_fashion_mnist")
    ```
    """

    def __init__(
        self,
        backbone,
        projection_dim=128,
        projection_hidden_dim=512,
        queue_size=4096,
        temperature=0.2,
        momentum=0.99,
        final_momentum=0.999,
        symmetric=True,
        crop_scale=(0.2, 1.0),
        jitter_strength=0.5,
        blur_probability=0.0,
        seed=None,
        feature_grid=3,
        preprocessor=None,
        **kwargs,
    ):
        if not (arguments.is_int(queue_size) and queue_size >= 1):
            raise ValueError(
                "queue_size must be an int >= 1, a multiple of the global batch (MoCo uses "
                f"65,536; 4,096 to 16,384 suit small data). Received: queue_size={queue_size!r}"
            )
        arguments.check_positive("temperature", temperature)
        for name, value in (("momentum", momentum), ("final_momentum", final_momentum)):
            arguments.check_unit_interval(name, value, " (the key encoder's momentum; MoCo v2 uses 0.99 to 0.999)")
        if not isinstance(symmetric, bool):
            raise ValueError(f"symmetric must be True or False. Received: symmetric={symmetric!r}")
        arguments.check_unit_interval("blur_probability", blur_probability, " (each view's chance of a blur)")
        # === Layers and Functional Model ===
        self.build_image_layers(backbone, feature_grid, preprocessor)
        inputs, tensors = build_two_view_network(
            self,
            projector=layers.ProjectionHead(
                projection_hidden_dim, projection_dim, use_batch_norm=False, name="projector"
            ),
            predictor=None,
            crop_scale=crop_scale,
            jitter_strength=jitter_strength,
            blur_probabilities=(blur_probability, blur_probability),
            solarize_probabilities=(0.0, 0.0),
            seed=seed,
        )
        outputs = {name: tensors[name] for name in ("projections", "views")}
        super().__init__(inputs=inputs, outputs=outputs, **kwargs)
        # Outside the graph (they run in the loss), so made after it: a layer assigned before
        # the functional model's constructor is not tracked under torch (Keras 3.15.1).
        self.target = layers.MomentumTarget(
            self.encoder, momentum, schedule="cosine", final_momentum=final_momentum, name="target"
        )
        self.queue = layers.KeyQueue(
            queue_size, projection_dim, views=2 if symmetric else 1, seed=seed, name="queue"
        )

        # === Config ===
        self.projection_dim = projection_dim
        self.projection_hidden_dim = projection_hidden_dim
        self.queue_size = queue_size
        self.temperature = float(temperature)
        self.momentum = float(momentum)
        self.final_momentum = float(final_momentum)
        self.symmetric = symmetric
        self.crop_scale = tuple(crop_scale)
        self.jitter_strength = jitter_strength
        self.blur_probability = blur_probability
        self.seed = seed

    def fit(self, x=None, y=None, batch_size=None, epochs=1, steps_per_epoch=None, initial_epoch=0, **kwargs):
        """`keras.Model.fit` on images alone; the key encoder's momentum reaches
        `final_momentum` at its last step. Refuses a queue that is not a multiple of the
        global batch, where the batch size is known."""
        x = as_image_array(x, "x")
        local = fit_batch_size(x, batch_size)
        global_batch = None if local is None else distribution.global_batch_size(local)
        if global_batch is not None and self.queue_size % global_batch:
            raise ValueError(
                f"queue_size must be a multiple of the global batch, {global_batch} here (a "
                f"queue of whole batches, as MoCo's). Received: queue_size={self.queue_size}"
            )
        schedule_for_fit(self.target, "MoCoV2", x, batch_size, epochs, steps_per_epoch, initial_epoch)
        return super().fit(
            x, y, batch_size=batch_size, epochs=epochs, steps_per_epoch=steps_per_epoch,
            initial_epoch=initial_epoch, **kwargs,
        )

    def pretext_loss(self, x, y, y_pred, sample_weight):
        # The update first: the keys of this step come from the updated key encoder.
        self.target.update()
        view_a, view_b = keras.ops.split(y_pred["views"], 2, axis=0)
        q_a, q_b = keras.ops.split(y_pred["projections"], 2, axis=0)  # (B, P) each
        queue = self.queue.read()  # (views, K, P)
        k_b = self.target(view_b)
        if self.symmetric:
            k_a = self.target(view_a)
            loss = (mocov2_loss(q_a, k_b, queue[1], self.temperature)
                    + mocov2_loss(q_b, k_a, queue[0], self.temperature)) / 2
            keys = [k_a, k_b]
        else:
            loss = mocov2_loss(q_a, k_b, queue[0], self.temperature)
            keys = [k_b]
        # After the loss: the global batch's keys, unit rows, on every replica alike.
        gathered = [distribution.gather_replicas(keras.ops.normalize(keras.ops.cast(k, "float32"))) for k in keys]
        self.queue.enqueue(keras.ops.stack(gathered))
        return loss

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "projection_dim": self.projection_dim,
                "projection_hidden_dim": self.projection_hidden_dim,
                "queue_size": self.queue_size,
                "temperature": self.temperature,
                "momentum": self.momentum,
                "final_momentum": self.final_momentum,
                "symmetric": self.symmetric,
                "crop_scale": self.crop_scale,
                "jitter_strength": self.jitter_strength,
                "blur_probability": self.blur_probability,
                "seed": self.seed,
            }
        )
        return config
