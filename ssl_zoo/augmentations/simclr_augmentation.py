"""The SimCLR view generator: crop, flip, color distortion, grayscale and blur, per image."""

import keras

from ssl_zoo.augmentations import color_ops
from ssl_zoo.augmentations.gaussian_blur import blur_kernel_size
from ssl_zoo.augmentations.gaussian_blur import gaussian_blur
from ssl_zoo.augmentations.random_resized_crop import RandomResizedCrop


@keras.saving.register_keras_serializable(package="ssl_zoo")
class SimCLRAugmentation(keras.layers.Layer):
    """Draws one random SimCLR view of each image (Chen et al. 2020, Appendix A).

    "We sequentially apply three simple augmentations: random cropping followed by resize back
    to the original size, random color distortions, and random Gaussian blur." (SimCLR,
    Sec. 2.1). In order, each image independently gets:

    1. a random resized crop (`ssl_zoo.augmentations.RandomResizedCrop`, area in
       `crop_scale`, aspect ratio in [3/4, 4/3]) to `(height, width)`;
    2. a horizontal flip with probability 1/2 (if `flip`);
    3. with probability `jitter_probability`, color jitter with strength `s`: brightness
       factor in [max(0, 1 - 0.8 s), 1 + 0.8 s], contrast and saturation factors in
       [max(0, 1 - 0.8 s), 1 + 0.8 s], hue shift in [-0.2 s, 0.2 s] turns, in this fixed order
       (as the paper's pseudocode; torchvision shuffles the order), each clipped to [0, 1];
    4. grayscale (ITU-R 601 luma) with probability `grayscale_probability`;
    5. with probability `blur_probability`, a gaussian blur with sigma uniform in [0.1, 2.0]
       and an odd kernel about 10% of the side (`blur_kernel_size`), reflect padding;

    and the result is clipped to [0, 1]. For single-channel images saturation, hue and
    grayscale are no-ops; brightness and contrast still apply. Brightness is multiplicative
    (SimCLR v2 code, torchvision), saturation blends with the grayscale image (torchvision),
    hue rotates in HSV (`tf.image.adjust_hue`).

    With `training=False` the images are only resized to `(height, width)`.

    Args:
        height: int. Output height.
        width: int. Output width.
        crop_scale: pair of floats in (0, 1]. Area range of the random crop.
        flip: bool. Whether to flip horizontally at random.
        jitter_strength: float >= 0. Color distortion strength `s` (0.5 for CIFAR-10,
            1.0 for ImageNet in the paper).
        jitter_probability: float in [0, 1]. Chance that an image is color jittered.
        grayscale_probability: float in [0, 1]. Chance that an image is turned gray.
        blur_probability: float in [0, 1]. Chance that an image is blurred.
        seed: int or None. Seed of the layer's `keras.random.SeedGenerator`.

    Input: float tensor (B, H, W, C) in [0, 1], C = 1 or 3. Output: (B, height, width, C).

    Example:
    ```python
    augment = ssl_zoo.augmentations.SimCLRAugmentation(16, 16, seed=0)
    images = np.random.rand(8, 28, 28, 1).astype("float32")
    view_a, view_b = augment(images, training=True), augment(images, training=True)
    ```
    """

    def __init__(
        self,
        height,
        width,
        crop_scale=(0.08, 1.0),
        flip=True,
        jitter_strength=0.5,
        jitter_probability=0.8,
        grayscale_probability=0.2,
        blur_probability=0.5,
        seed=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        for name, value in (
            ("jitter_probability", jitter_probability),
            ("grayscale_probability", grayscale_probability),
            ("blur_probability", blur_probability),
        ):
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must lie in [0, 1]. Received: {name}={value}")
        if jitter_strength < 0:
            raise ValueError(
                f"jitter_strength must be >= 0. Received: jitter_strength={jitter_strength}"
            )
        self.height = height
        self.width = width
        self.crop_scale = tuple(crop_scale)
        self.flip = flip
        self.jitter_strength = jitter_strength
        self.jitter_probability = jitter_probability
        self.grayscale_probability = grayscale_probability
        self.blur_probability = blur_probability
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)
        # === Layers ===
        # A different seed from this layer's so that crop boxes and the other draws differ.
        self.crop = RandomResizedCrop(
            height,
            width,
            scale=crop_scale,
            seed=None if seed is None else seed + 1,
            dtype=self.dtype_policy,
        )

    def _uniform(self, batch_size, low=0.0, high=1.0):
        return keras.random.uniform((batch_size,), low, high, seed=self.seed_generator)

    def _coin(self, batch_size, probability):
        """Per-image booleans (B, 1, 1, 1), True with `probability`."""
        return keras.ops.reshape(self._uniform(batch_size) < probability, (-1, 1, 1, 1))

    def _color_jitter(self, images, batch_size):
        s = self.jitter_strength
        low, high = max(0.0, 1.0 - 0.8 * s), 1.0 + 0.8 * s
        operations = [
            (color_ops.adjust_brightness, low, high),
            (color_ops.adjust_contrast, low, high),
        ]
        if images.shape[-1] == 3:
            operations += [
                (color_ops.adjust_saturation, low, high),
                (color_ops.adjust_hue, -0.2 * s, 0.2 * s),
            ]
        for operation, factor_low, factor_high in operations:  # the paper's fixed order
            factor = self._uniform(batch_size, factor_low, factor_high)  # (B,), one per image
            images = keras.ops.clip(operation(images, factor), 0.0, 1.0)
        return images

    def build(self, input_shape):
        self.crop.build(input_shape)
        self.built = True

    def call(self, images, training=True):
        images = keras.ops.cast(images, self.compute_dtype)
        if len(images.shape) != 4 or images.shape[-1] not in (1, 3):
            raise ValueError(
                f"SimCLRAugmentation expects images (B, H, W, C) with C = 1 or 3. "
                f"Received: shape={images.shape}"
            )
        views = self.crop(images, training=training)  # (B, height, width, C)
        if not training:
            return views
        batch_size = keras.ops.shape(views)[0]
        if self.flip:
            flipped = keras.ops.flip(views, axis=2)
            views = keras.ops.where(self._coin(batch_size, 0.5), flipped, views)
        if self.jitter_probability > 0:
            jittered = self._color_jitter(views, batch_size)
            jitter = self._coin(batch_size, self.jitter_probability)
            views = keras.ops.where(jitter, jittered, views)
        if self.grayscale_probability > 0 and views.shape[-1] == 3:
            gray = color_ops.rgb_to_grayscale(views)
            views = keras.ops.where(self._coin(batch_size, self.grayscale_probability), gray, views)
        if self.blur_probability > 0:
            sigma = self._uniform(batch_size, 0.1, 2.0)
            blurred = gaussian_blur(views, sigma, blur_kernel_size(min(self.height, self.width)))
            views = keras.ops.where(self._coin(batch_size, self.blur_probability), blurred, views)
        return keras.ops.clip(views, 0.0, 1.0)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.height, self.width, input_shape[-1])

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "height": self.height,
                "width": self.width,
                "crop_scale": self.crop_scale,
                "flip": self.flip,
                "jitter_strength": self.jitter_strength,
                "jitter_probability": self.jitter_probability,
                "grayscale_probability": self.grayscale_probability,
                "blur_probability": self.blur_probability,
                "seed": self.seed,
            }
        )
        return config
