"""Two augmented views of every image, made inside the model's training step."""

import keras

from ssl_zoo import augmentations


@keras.saving.register_keras_serializable(package="ssl_zoo")
class SimCLRViews(keras.layers.Layer):
    """Stacks two independent SimCLR augmentations of a batch: `(B, ...) -> (2B, ...)`.

    Rows `0..B-1` are the first views and `B..2B-1` their positives, the layout
    `ssl_zoo.losses.NTXent` expects. Outside training the images pass through unchanged,
    so the model embeds the images themselves.

    The augmentation settings have no defaults here: the task passes its own (`SimCLR`'s
    arguments), and the other settings are `ssl_zoo.augmentations.SimCLRAugmentation`'s.

    Args:
        height: int. Height of the views.
        width: int. Width of the views.
        crop_scale: tuple. Area fraction range of the random resized crop.
        jitter_strength: float. Color distortion strength `s` (SimCLR, Appendix A).
        blur_probability: float. Probability of a Gaussian blur per view.
        seed: int or None.
    """

    def __init__(
        self,
        height,
        width,
        *,
        crop_scale,
        jitter_strength,
        blur_probability,
        seed=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.height = height
        self.width = width
        self.crop_scale = tuple(crop_scale)
        self.jitter_strength = jitter_strength
        self.blur_probability = blur_probability
        self.seed = seed
        self.augment = augmentations.SimCLRAugmentation(
            height,
            width,
            crop_scale=crop_scale,
            jitter_strength=jitter_strength,
            blur_probability=blur_probability,
            seed=seed,
            dtype=self.dtype_policy,
        )

    def build(self, input_shape):
        self.augment.build(input_shape)
        self.built = True

    def call(self, images, training=None):
        if not training:
            return images
        view_a = self.augment(images, training=True)
        view_b = self.augment(images, training=True)
        return keras.ops.concatenate([view_a, view_b], axis=0)

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
                "blur_probability": self.blur_probability,
                "seed": self.seed,
            }
        )
        return config
