"""Two views of every image, each with its own augmentation settings (BYOL's asymmetric pair)."""

import keras

from ssl_zoo.augmentations.simclr_augmentation import SimCLRAugmentation
from ssl_zoo.augmentations.solarize import solarize


def _check_pair(name, value):
    if not (isinstance(value, (tuple, list)) and len(value) == 2 and all(0.0 <= p <= 1.0 for p in value)):
        raise ValueError(
            f"{name} must be a pair of probabilities in [0, 1], one per view. "
            f"Received: {name}={value!r}"
        )
    return tuple(float(p) for p in value)


@keras.saving.register_keras_serializable(package="ssl_zoo")
class TwoViewAugmentation(keras.layers.Layer):
    """Stacks view `a` and view `b` of a batch: `(B, H, W, C) -> (2B, height, width, C)`.

    Each view is a `SimCLRAugmentation` (crop, flip, color jitter with probability 0.8,
    grayscale with probability 0.2, blur) followed by solarization (`solarize`) with a
    probability per view. The defaults are BYOL's asymmetric pair (Grill et al. 2020,
    Table 6): blur with probability 1.0 and 0.1, solarization with probability 0.0 and 0.2.
    SimSiam (Chen & He 2021) uses the same settings for both views. Where BYOL's color
    jitter draws saturation in [0.8, 1.2], `SimCLRAugmentation` uses the brightness range
    (a no-op on gray images), and it applies the four jitters in a fixed order where BYOL
    shuffles them.

    Rows `0..B-1` are the views `a`, `B..2B-1` the views `b` of the same images. Outside
    training the images pass through unchanged, so the model embeds the images themselves.

    Args:
        height: int. Height of the views.
        width: int. Width of the views.
        crop_scale: pair of floats in (0, 1]. Area range of the random resized crop.
        jitter_strength: float >= 0. Color jitter strength `s` of `SimCLRAugmentation`
            (0.5: brightness and contrast factors in [0.6, 1.4], hue within 0.1 turns).
        blur_probabilities: pair of floats in [0, 1]. Chance of a gaussian blur, per view.
        solarize_probabilities: pair of floats in [0, 1]. Chance of solarization, per view.
        seed: int or None. Seeds of the two views' draws (`seed`, `seed + 2`, `seed + 4`).

    Example:
    ```python
    views = ssl_zoo.augmentations.TwoViewAugmentation(16, 16, seed=0)
    pair = views(np.random.rand(8, 16, 16, 1).astype("float32"), training=True)  # (16, 16, 16, 1)
    ```
    """

    def __init__(
        self,
        height,
        width,
        crop_scale=(0.08, 1.0),
        jitter_strength=0.5,
        blur_probabilities=(1.0, 0.1),
        solarize_probabilities=(0.0, 0.2),
        seed=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.height = height
        self.width = width
        self.crop_scale = tuple(crop_scale)
        self.jitter_strength = jitter_strength
        self.blur_probabilities = _check_pair("blur_probabilities", blur_probabilities)
        self.solarize_probabilities = _check_pair("solarize_probabilities", solarize_probabilities)
        self.seed = seed
        # === Layers ===
        self.augment = [
            SimCLRAugmentation(
                height,
                width,
                crop_scale=crop_scale,
                jitter_strength=jitter_strength,
                blur_probability=blur,
                seed=None if seed is None else seed + 2 * i,  # the crop takes seed + 1
                dtype=self.dtype_policy,
                name=f"augment_{'ab'[i]}",
            )
            for i, blur in enumerate(self.blur_probabilities)
        ]
        self.seed_generator = keras.random.SeedGenerator(None if seed is None else seed + 4)

    def build(self, input_shape):
        for augment in self.augment:
            augment.build(input_shape)
        self.built = True

    def call(self, images, training=None):
        if not training:
            return images
        views = []
        for augment, probability in zip(self.augment, self.solarize_probabilities):
            view = augment(images, training=True)  # (B, height, width, C) in [0, 1]
            if probability > 0:
                coin = keras.random.uniform((keras.ops.shape(view)[0], 1, 1, 1), seed=self.seed_generator)
                view = keras.ops.where(coin < probability, solarize(view), view)
            views.append(view)
        return keras.ops.concatenate(views, axis=0)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "height": self.height,
                "width": self.width,
                "crop_scale": self.crop_scale,
                "jitter_strength": self.jitter_strength,
                "blur_probabilities": self.blur_probabilities,
                "solarize_probabilities": self.solarize_probabilities,
                "seed": self.seed,
            }
        )
        return config
