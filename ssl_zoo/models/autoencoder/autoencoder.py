"""Autoencoders: learn features by reconstructing images from plain, noisy or masked inputs."""

import keras
import numpy as np

from ssl_zoo.models.autoencoder.autoencoder_corruption import AutoencoderCorruption
from ssl_zoo.models.autoencoder.autoencoder_decoder import mirror_decoder
from ssl_zoo.models.image_ssl_task import ImageSSLTask


@keras.saving.register_keras_serializable(package="ssl_zoo")
class Autoencoder(ImageSSLTask):
    """Autoencoder pretraining task: backbone, pooled bottleneck and a mirrored decoder.

    The backbone encodes the (corrupted) image, its feature map is averaged over space into
    the bottleneck (the layer `features`), and `mirror_decoder` rebuilds the image from it.
    The representation to reuse (`embed`, `feature_extractor`) is every stage's output averaged over a `feature_grid x feature_grid` grid of cells; the
    bottleneck is the mean of the last stage's cells. The loss is
    the mean squared error against the clean image in [0, 1], over the pixels the variant
    counts (`AutoencoderCorruption`):

    - `"plain"`: reconstruct the image itself (Hinton & Salakhutdinov, Science 2006).
    - `"denoising"`: reconstruct the clean image from one with Gaussian noise (Vincent et
      al., ICML 2008).
    - `"masked"`: hide random patches and reconstruct them; the loss counts the hidden
      pixels only (MAE, He et al., CVPR 2022, with a convolutional encoder that sees the
      hidden patches as mid-gray).

    `fit` takes images only, no labels. Inputs are pixel values in [0, 255] of shape
    `(B, H, W, C)` (`(B, H, W)` for grayscale NumPy arrays). `predict` returns
    `{"reconstruction": (B, H, W, C) in [0, 1], "loss_mask": (B, H, W, 1)}` of the
    uncorrupted images, and `evaluate` their reconstruction error; `reconstruct` shows
    the variant's corruption and its repair.

    Args:
        backbone: `ssl_zoo.backbones.SmallResNetBackbone` with a fixed image size.
        variant: `"plain"`, `"denoising"` or `"masked"`.
        noise_stddev: float >= 0. Noise of the denoising variant, on the [0, 1] pixel scale.
        mask_ratio: float in (0, 1). Share of patches the masked variant hides.
        patch_size: int. Side in pixels of the masked variant's patches (4 cuts a 28 px
            image into 7x7 patches).
        seed: int or None. Seed of the corruption.
        feature_grid: int >= 1. Cells per side of the representation's grid (see
            `ImageSSLTask.feature_extractor`).

    Example:
    ```python
    (x_train, _), (x_test, _) = ssl_zoo.data.load_fashion_mnist()
    backbone = ssl_zoo.backbones.SmallResNetBackbone(image_shape=(28, 28, 1))
    model = ssl_zoo.models.Autoencoder(backbone, variant="masked", mask_ratio=0.5)
    model.fit(x_train, batch_size=256, epochs=10)
    ssl_zoo.evaluation.save_reconstruction_grid(model.reconstruct(x_test[:8]), "masked.png")
    ```
    """

    has_held_out_loss = True  # the reconstruction error of held-out images

    def __init__(
        self,
        backbone,
        variant="plain",
        noise_stddev=0.3,
        mask_ratio=0.5,
        patch_size=4,
        seed=None,
        feature_grid=3,
        preprocessor=None,
        **kwargs,
    ):
        # === Layers ===
        self.build_image_layers(backbone, feature_grid, preprocessor)
        self.corruption = AutoencoderCorruption(
            variant, noise_stddev, mask_ratio, patch_size, seed, name="corruption"
        )
        self.pooling = keras.layers.GlobalAveragePooling2D(name="features")
        self.decoder = mirror_decoder(backbone)

        # === Functional Model ===
        inputs = keras.Input(shape=backbone.image_shape, name="images")
        corrupted, loss_mask = self.corruption(self.rescaling(inputs))
        outputs = {"reconstruction": self._autoencode(corrupted), "loss_mask": loss_mask}
        super().__init__(inputs=inputs, outputs=outputs, **kwargs)

        # === Config ===
        self.variant = variant
        self.noise_stddev = noise_stddev
        self.mask_ratio = mask_ratio
        self.patch_size = patch_size
        self.seed = seed

    def _autoencode(self, images, training=None):
        """Images in [0, 1] -> reconstructions in [0, 1] through the pooled bottleneck."""
        features = self.pooling(self.backbone(images, training=training))
        return self.decoder(features, training=training)

    def default_optimizer(self):
        """Adam, learning rate 1e-3."""
        return keras.optimizers.Adam(learning_rate=1e-3)

    def pretext_loss(self, x, y, y_pred, sample_weight):
        reconstruction = keras.ops.convert_to_tensor(y_pred["reconstruction"])
        loss_mask = keras.ops.cast(y_pred["loss_mask"], reconstruction.dtype)
        target = keras.ops.cast(self.rescaling(x), reconstruction.dtype)  # clean, in [0, 1]
        squared_error = keras.ops.sum(keras.ops.square(reconstruction - target), axis=-1, keepdims=True)
        # Mean over the counted pixels and channels: (B, H, W, 1) mask over (B, H, W, C) errors.
        return keras.ops.sum(squared_error * loss_mask) / (
            keras.ops.sum(loss_mask) * reconstruction.shape[-1]
        )

    def reconstruct(self, images):
        """The variant's corruption of a few images and the model's reconstruction of it.

        Args:
            images: array `(n, H, W[, C])` of pixel values in [0, 255]; one batch.

        Returns:
            dict of float32 arrays `(n, H, W, C)` in [0, 1]: `"input"` (the clean images),
            `"corrupted"` (what the encoder sees: noisy or masked, or the input for the
            plain variant) and `"output"` (the reconstruction).
        """
        images = self.prepare_inputs(images)
        if not isinstance(images, np.ndarray):
            raise ValueError(f"images must be a NumPy array. Received: {type(images).__name__}")
        clean = self.rescaling(images)
        corrupted, _ = self.corruption.corrupt(clean)
        output = self._autoencode(corrupted, training=False)
        return {
            name: keras.ops.convert_to_numpy(value).astype("float32")
            for name, value in (("input", clean), ("corrupted", corrupted), ("output", output))
        }

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "variant": self.variant,
                "noise_stddev": self.noise_stddev,
                "mask_ratio": self.mask_ratio,
                "patch_size": self.patch_size,
                "seed": self.seed,
            }
        )
        return config
