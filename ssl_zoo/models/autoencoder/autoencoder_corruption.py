"""The input corruption of each autoencoder variant, and which pixels its loss counts."""

import keras

from ssl_zoo import arguments
from ssl_zoo import augmentations
from ssl_zoo.models.autoencoder.autoencoder_method import VARIANTS

MASK_FILL = 0.5  # hidden pixels read mid-gray, distinct from the black background of many data sets


@keras.saving.register_keras_serializable(package="ssl_zoo")
class AutoencoderCorruption(keras.layers.Layer):
    """Corrupts images in [0, 1] and returns the per-pixel weight of the reconstruction loss.

    - `"plain"`: images unchanged; every pixel counts.
    - `"denoising"`: Gaussian noise of standard deviation `noise_stddev`, clipped to [0, 1]
      (Vincent et al., "Extracting and Composing Robust Features with Denoising
      Autoencoders", ICML 2008); every pixel of the clean target counts.
    - `"masked"`: `round(mask_ratio * patches)` random `patch_size` patches per image are
      hidden (filled with 0.5), and only hidden pixels count (He et al., "Masked
      Autoencoders Are Scalable Vision Learners", CVPR 2022: "we compute the loss only on
      masked patches").

    Outside training the images pass unchanged and every pixel counts.

    Args:
        variant: `"plain"`, `"denoising"` or `"masked"`.
        noise_stddev: float >= 0. Noise of the denoising variant, in units of the [0, 1] range.
        mask_ratio: float in (0, 1). Share of patches hidden by the masked variant.
        patch_size: int >= 1. Side of the masked variant's patches, in pixels.
        seed: int or None.

    Input: float tensor (B, H, W, C). Output: `(corrupted (B, H, W, C), loss_mask (B, H, W, 1))`.
    """

    def __init__(self, variant="plain", noise_stddev=0.3, mask_ratio=0.5, patch_size=4, seed=None, **kwargs):
        super().__init__(**kwargs)
        if variant not in VARIANTS:
            raise ValueError(
                f"variant must be one of {', '.join(VARIANTS)}. Received: variant={variant!r}"
            )
        if not (arguments.is_real(noise_stddev) and noise_stddev >= 0):
            raise ValueError(f"noise_stddev must be a number >= 0. Received: noise_stddev={noise_stddev!r}")
        if not (arguments.is_real(mask_ratio) and 0 < mask_ratio < 1):
            raise ValueError(f"mask_ratio must be in (0, 1). Received: mask_ratio={mask_ratio!r}")
        if not (arguments.is_int(patch_size) and patch_size >= 1):
            raise ValueError(f"patch_size must be an int >= 1. Received: patch_size={patch_size!r}")
        self.variant = variant
        self.noise_stddev = noise_stddev
        self.mask_ratio = mask_ratio
        self.patch_size = patch_size
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)

    def build(self, input_shape):
        if self.variant == "masked":
            self.num_hidden_patches(input_shape[1], input_shape[2])
        self.built = True

    def num_hidden_patches(self, height, width):
        """Patches the masked variant hides per `height x width` image (at least one, not all)."""
        rows, columns = augmentations.patch_grid(height, width, self.patch_size)
        num_hidden = round(self.mask_ratio * rows * columns)
        if not 1 <= num_hidden < rows * columns:
            raise ValueError(
                f"mask_ratio={self.mask_ratio} hides {num_hidden} of the {rows}x{columns} "
                f"patches of {height}x{width} images (patch_size={self.patch_size}); the "
                "masked variant needs at least one hidden and one visible patch. Use a "
                "smaller patch_size or a mask_ratio nearer 0.5."
            )
        return num_hidden

    def corrupt(self, images):
        """The variant's corruption, applied whatever the training mode.

        Args:
            images: float tensor (B, H, W, C) in [0, 1].

        Returns:
            `(corrupted, loss_mask)`: tensors (B, H, W, C) and (B, H, W, 1).
        """
        images = keras.ops.convert_to_tensor(images, self.compute_dtype)
        if self.variant == "masked":
            batch_size, height, width = keras.ops.shape(images)[0], images.shape[1], images.shape[2]
            hidden = augmentations.random_patch_mask(
                batch_size, height, width, self.patch_size,
                self.num_hidden_patches(height, width), seed=self.seed_generator,
            )
            hidden = keras.ops.cast(hidden, images.dtype)
            return images * (1.0 - hidden) + MASK_FILL * hidden, hidden
        everywhere = keras.ops.ones_like(images[..., :1])
        if self.variant == "denoising":
            noise = keras.random.normal(keras.ops.shape(images), seed=self.seed_generator)
            noisy = images + self.noise_stddev * keras.ops.cast(noise, images.dtype)
            return keras.ops.clip(noisy, 0.0, 1.0), everywhere
        return images, everywhere

    def call(self, images, training=None):
        if training:
            return self.corrupt(images)
        return images, keras.ops.ones_like(images[..., :1])

    def compute_output_shape(self, input_shape):
        return input_shape, (*input_shape[:-1], 1)

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
