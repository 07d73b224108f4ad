"""SimCLR: contrastive learning from two augmented views of each image."""

import keras

from ssl_zoo import arguments
from ssl_zoo import augmentations
from ssl_zoo import distribution
from ssl_zoo import kernels
from ssl_zoo import layers
from ssl_zoo import losses
from ssl_zoo.models.image_ssl_task import ImageSSLTask
from ssl_zoo.models.simclr.simclr_views import SimCLRViews


@keras.saving.register_keras_serializable(package="ssl_zoo")
class SimCLR(ImageSSLTask):
    """SimCLR pretraining task: backbone, projection head and the NT-Xent loss.

    Chen et al., "A Simple Framework for Contrastive Learning of Visual Representations"
    (ICML 2020). Each training batch of `B` raw images is augmented twice on the device
    (`SimCLRViews`), encoded, projected, and scored with NT-Xent over the `2B` projections
    (`ssl_zoo.kernels.nt_xent`). `fit` takes images only, no labels: NumPy arrays, `tf.data`,
    a torch `DataLoader` or a `keras.utils.PyDataset`.

    Inputs are pixel values in [0, 255] of shape `(B, H, W, C)` (`(B, H, W)` for grayscale
    NumPy arrays); `predict` returns the projections `z` of the un-augmented images. The
    representation to reuse (`embed`, `feature_extractor`) is
    read before the projection head: every stage's output averaged over a `feature_grid x
    feature_grid` grid of cells. The loss sees the global average of the last stage (the
    paper's `h`).

    Args:
        backbone: `keras_hub.models.Backbone` mapping images in [0, 1] to a feature map.
        projection_dim: int. Size of the projection `z`.
        projection_hidden_dim: int. Width of the projection head's hidden layer.
        projection_layers: int. Dense layers in the projection head.
        temperature: float > 0 (a Python or NumPy scalar). NT-Xent temperature.
        loss_implementation: None, "reference" or "fused" (see `ssl_zoo.kernels.nt_xent`);
            the fused kernel scores two views, so with local crops it must be None or
            "reference".
        crop_scale: tuple. Area fraction range of the random resized crop. The paper's
            (0.08, 1.0), `SimCLRAugmentation`'s default, leaves 8x8 px of a 28 px image;
            (0.2, 1.0) suits small images.
        jitter_strength: float. Color distortion strength.
        blur_probability: float. Probability of a Gaussian blur per view (the paper blurs
            half the ImageNet views, `SimCLRAugmentation`'s default, and drops blur for
            CIFAR-sized images, Appendix B.9).
        seed: int or None. Seed of the augmentations.
        num_local_crops: int >= 0. Local crops per image besides the two views (0: SimCLR's
            two views alone).
        local_size: None, int or pair, at most the image size: the local crops' size
            (None: 3/7 of each side, see `MultiCropAugmentation`).
        local_crop_scale: pair of floats in (0, 1]. Area range of the local crops.
        feature_grid: int >= 1. Cells per side of the representation's grid (see
            `ImageSSLTask.feature_extractor`).

    Example:
    ```python
    (x_train, _), _ = ssl_zoo.data.load_fashion_mnist()
    backbone = ssl_zoo.backbones.SmallResNetBackbone(image_shape=(28, 28, 1))
    model = ssl_zoo.models.SimCLR(backbone)
    model.fit(x_train, batch_size=256, epochs=10)
    model.save_to_preset("simclr_fashion_mnist")
    ```
    """


    def __init__(
        self,
        backbone,
        projection_dim=64,
        projection_hidden_dim=256,
        projection_layers=2,
        temperature=0.5,
        loss_implementation=None,
        crop_scale=(0.2, 1.0),
        jitter_strength=0.5,
        blur_probability=0.0,
        seed=None,
        num_local_crops=0,
        local_size=None,
        local_crop_scale=(0.05, 0.4),
        feature_grid=3,
        preprocessor=None,
        **kwargs,
    ):
        arguments.check_positive("temperature", temperature)
        if loss_implementation not in kernels.IMPLEMENTATIONS:
            raise ValueError(
                "loss_implementation must be None, 'reference' or 'fused'. "
                f"Received: loss_implementation={loss_implementation!r}"
            )
        arguments.check_int("num_local_crops", num_local_crops, 0, " (0: the two views alone)")
        if num_local_crops and loss_implementation == "fused":
            raise ValueError(
                "loss_implementation='fused' scores two views; with local crops the loss is "
                "multi_crop_nt_xent: pass loss_implementation=None or 'reference', or num_local_crops=0. "
                f"Received: num_local_crops={num_local_crops!r}"
            )
        height, width, channels = backbone.input_shape[1:]
        # === Layers ===
        self.build_image_layers(backbone, feature_grid, preprocessor)
        if num_local_crops:
            self.views = augmentations.MultiCropAugmentation(
                height, width, num_local_crops=num_local_crops, local_size=local_size,
                global_crop_scale=crop_scale, local_crop_scale=local_crop_scale, jitter_strength=jitter_strength,
                blur_probabilities=(blur_probability, blur_probability), solarize_probabilities=(0.0, 0.0),
                local_blur_probability=blur_probability, seed=seed, name="views",
            )
        else:
            self.views = SimCLRViews(
                height, width, crop_scale=crop_scale, jitter_strength=jitter_strength,
                blur_probability=blur_probability, seed=seed, name="views",
            )
        self.pooling = keras.layers.GlobalAveragePooling2D(name="features")
        self.projection_head = layers.ProjectionHead(
            projection_hidden_dim,
            projection_dim,
            num_layers=projection_layers,
            name="projection_head",
        )

        # === Functional Model ===
        inputs = keras.Input(shape=(height, width, channels), name="images")
        x = self.views(self.rescaling(inputs))
        if num_local_crops:
            self.accept_smaller_images()  # the local crops
            # The same layers on each resolution, so a preset's weights load with any crop count.
            views, local_crops = (self.projection_head(self.pooling(self.backbone(c))) for c in x)
            outputs = layers.StackWhileTraining(name="crops")([views, local_crops])
        else:
            outputs = self.projection_head(self.pooling(self.backbone(x)))
        super().__init__(inputs=inputs, outputs=outputs, **kwargs)

        # === Config ===
        self.projection_dim = projection_dim
        self.projection_hidden_dim = projection_hidden_dim
        self.projection_layers = projection_layers
        self.temperature = temperature
        self.loss_implementation = loss_implementation
        self.crop_scale = tuple(crop_scale)
        self.jitter_strength = jitter_strength
        self.blur_probability = blur_probability
        self.seed = seed
        self.num_local_crops = int(num_local_crops)
        self.local_size = self.views.local_size if num_local_crops else local_size
        self.local_crop_scale = tuple(local_crop_scale)

    def pretext_loss(self, x, y, y_pred, sample_weight):
        # Under mixed precision the projections arrive in (b)float16: the loss runs in float32.
        crops = 2 + self.num_local_crops
        z = keras.ops.split(keras.ops.cast(y_pred, "float32"), crops, axis=0)  # (B, P) each
        # Data parallel: negatives from the global batch, (B * replicas, P) on every replica.
        z = [distribution.gather_replicas(z_crop) for z_crop in z]
        if self.num_local_crops:
            return losses.multi_crop_nt_xent(keras.ops.concatenate(z, axis=0), crops, self.temperature)
        return kernels.nt_xent(*z, self.temperature, self.loss_implementation)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "projection_dim": self.projection_dim,
                "projection_hidden_dim": self.projection_hidden_dim,
                "projection_layers": self.projection_layers,
                "temperature": self.temperature,
                "loss_implementation": self.loss_implementation,
                "crop_scale": self.crop_scale,
                "jitter_strength": self.jitter_strength,
                "blur_probability": self.blur_probability,
                "seed": self.seed,
                "num_local_crops": self.num_local_crops,
                "local_size": self.local_size,
                "local_crop_scale": self.local_crop_scale,
            }
        )
        return config
