"""Multi-crop: two global views of every image and `k` local crops at a smaller resolution."""

import keras

from ssl_zoo import arguments
from ssl_zoo.augmentations.simclr_augmentation import SimCLRAugmentation
from ssl_zoo.augmentations.two_view_augmentation import TwoViewAugmentation


def local_crop_size(local_size, height, width):
    """`local_size` as `(height, width)`: an int is a square; None is DINO's 96/224 of each side."""
    if local_size is None:
        return max(1, round(height * 96 / 224)), max(1, round(width * 96 / 224))
    size = (local_size, local_size) if arguments.is_int(local_size) else tuple(local_size)
    if not (len(size) == 2 and all(arguments.is_int(s) and s >= 1 for s in size)):
        raise ValueError(
            "local_size must be an int >= 1 or a pair (height, width) of them, the local crops' "
            f"size in pixels. Received: local_size={local_size!r}"
        )
    if size[0] > height or size[1] > width:
        raise ValueError(
            f"local crops must be no larger than the global crops ({height}x{width} px): they "
            f"are the small views of multi-crop. Received: local_size={local_size!r}"
        )
    return size


@keras.saving.register_keras_serializable(package="ssl_zoo")
class MultiCropAugmentation(keras.layers.Layer):
    """Two global views and `num_local_crops` local crops of every image (Caron et al. 2020).

    Multi-crop (SwAV, Sec. 3.2; DINO, Caron et al. 2021, Sec. 3.1): the two global views are
    a `TwoViewAugmentation` of large crops (area in `global_crop_scale`, `(0.4, 1)` in
    DINO's code) at the full size `(height, width)`, with DINO's asymmetric pair (blur with
    probability 1.0 and 0.1, solarization with probability 0.0 and 0.2); each local crop is
    a `SimCLRAugmentation` of a small crop (area in `local_crop_scale`, `(0.05, 0.4)`) at the
    smaller `local_size` (96 px for 224 px images in DINO: 3/7 of each side by default), with
    blur probability `local_blur_probability` (0.5) and no solarization. A backbone that
    pools globally takes both sizes; the local crops cost `(local / global)^2` of a global
    view each.

    Call: images `(B, H, W, C)` in [0, 1] give a list `[global_views, local_crops]`:
    `(2B, height, width, C)` (views a then b, as `TwoViewAugmentation`) and
    `(num_local_crops * B, local_h, local_w, C)` (crop 1 of every image, then crop 2, ...);
    with `num_local_crops=0` the list holds the global views alone. Outside training the
    images pass through as their own global view `(B, ...)` and, resized whole to
    `local_size`, as their own local crop `(B, ...)`.

    Args:
        height: int. Height of the global views.
        width: int. Width of the global views.
        num_local_crops: int >= 0. Local crops per image (DINO: 10; 6 is its cheaper setting).
        local_size: None, int or pair `(height, width)`, at most the global size. None: 3/7
            of each side, rounded (12 px for 28 px images).
        global_crop_scale: pair of floats in (0, 1]. Area range of the global crops.
        local_crop_scale: pair of floats in (0, 1]. Area range of the local crops.
        jitter_strength: float >= 0. Color jitter strength of every crop.
        blur_probabilities: pair of floats in [0, 1]. Blur probability of global views a, b.
        solarize_probabilities: pair of floats in [0, 1]. Solarization probability of global
            views a and b.
        local_blur_probability: float in [0, 1]. Blur probability of each local crop.
        seed: int or None. Seeds of the draws (the global views take `seed` to `seed + 4`,
            the local crops `seed + 6` and `seed + 7`).

    Example:
    ```python
    crops = ssl_zoo.augmentations.MultiCropAugmentation(28, 28, num_local_crops=4, seed=0)
    global_views, local_crops = crops(np.random.rand(8, 28, 28, 1).astype("float32"), training=True)
    # (16, 28, 28, 1) and (32, 12, 12, 1)
    ```
    """

    def __init__(
        self,
        height,
        width,
        num_local_crops=6,
        local_size=None,
        global_crop_scale=(0.4, 1.0),
        local_crop_scale=(0.05, 0.4),
        jitter_strength=0.5,
        blur_probabilities=(1.0, 0.1),
        solarize_probabilities=(0.0, 0.2),
        local_blur_probability=0.5,
        seed=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        arguments.check_int("num_local_crops", num_local_crops, 0, " (0: the two global views alone)")
        arguments.check_unit_interval("local_blur_probability", local_blur_probability)
        self.height = height
        self.width = width
        self.num_local_crops = int(num_local_crops)
        self.local_size = local_crop_size(local_size, height, width)
        self.global_crop_scale = tuple(global_crop_scale)
        self.local_crop_scale = tuple(local_crop_scale)
        self.jitter_strength = jitter_strength
        self.local_blur_probability = float(local_blur_probability)
        self.seed = seed
        # === Layers ===
        self.global_views = TwoViewAugmentation(
            height, width, crop_scale=global_crop_scale, jitter_strength=jitter_strength,
            blur_probabilities=blur_probabilities, solarize_probabilities=solarize_probabilities,
            seed=seed, dtype=self.dtype_policy, name="global_views",
        )
        self.blur_probabilities = self.global_views.blur_probabilities
        self.solarize_probabilities = self.global_views.solarize_probabilities
        self.local_crop = SimCLRAugmentation(
            *self.local_size, crop_scale=local_crop_scale, jitter_strength=jitter_strength,
            blur_probability=local_blur_probability, seed=None if seed is None else seed + 6,
            dtype=self.dtype_policy, name="local_crop",
        )

    def build(self, input_shape):
        self.global_views.build(input_shape)
        self.local_crop.build(input_shape)
        self.built = True

    def call(self, images, training=None):
        global_views = self.global_views(images, training=training)
        if not self.num_local_crops:
            return [global_views]
        if not training:
            return [global_views, self.local_crop(images, training=False)]
        # One layer called k times: its seed generator draws new boxes and colors each time.
        local_crops = [self.local_crop(images, training=True) for _ in range(self.num_local_crops)]
        return [global_views, keras.ops.concatenate(local_crops, axis=0)]

    def compute_output_spec(self, images, training=None):
        batch, _, _, channels = images.shape
        rows = lambda views: None if batch is None else views * batch  # noqa: E731
        views = 2 if training else 1
        spec = [keras.KerasTensor((rows(views), self.height, self.width, channels), dtype=self.compute_dtype)]
        if self.num_local_crops:
            crops = self.num_local_crops if training else 1
            spec.append(keras.KerasTensor((rows(crops), *self.local_size, channels), dtype=self.compute_dtype))
        return spec

    def view_config(self):
        """The arguments that shape the views, besides `height` and `width`: what a task that
        makes its views with this layer saves in its own config."""
        return {
            "num_local_crops": self.num_local_crops,
            "local_size": self.local_size,
            "global_crop_scale": self.global_crop_scale,
            "local_crop_scale": self.local_crop_scale,
            "jitter_strength": self.jitter_strength,
            "blur_probabilities": self.blur_probabilities,
            "solarize_probabilities": self.solarize_probabilities,
            "local_blur_probability": self.local_blur_probability,
            "seed": self.seed,
        }

    def get_config(self):
        config = super().get_config()
        config.update({"height": self.height, "width": self.width, **self.view_config()})
        return config
