"""RandomResizedCrop: one random crop box per image, resized to a fixed size."""

import math

import keras

from ssl_zoo.augmentations.crop_and_resize import crop_and_resize


def _check_range(name, value, lower_bound):
    if (
        not isinstance(value, (tuple, list))
        or len(value) != 2
        or not lower_bound < value[0] <= value[1]
    ):
        raise ValueError(
            f"{name} must be a pair (low, high) with {lower_bound} < low <= high. "
            f"Received: {name}={value}"
        )


@keras.saving.register_keras_serializable(package="ssl_zoo")
class RandomResizedCrop(keras.layers.Layer):
    """Crops a random box of random area and aspect ratio from each image, then resizes it.

    "We randomly crop images and resize them to the original size" (SimCLR, Chen et al. 2020,
    Appendix A): per image, the area fraction is uniform in `scale` and the aspect ratio
    (width / height) log-uniform in `ratio`, as torchvision's `RandomResizedCrop`. Each image
    of the batch gets its own box (`keras.layers.RandomCrop` picks one per batch).

    Where torchvision retries up to 10 times when the box does not fit, this layer clamps in
    closed form and keeps the area: `box_width = clip(sqrt(area * ratio), area / H, W)`,
    `box_height = area / box_width`. The box area always lies in `scale` (so `scale=(1, 1)`
    is the whole image for any `ratio`); only the aspect ratio of boxes that would not fit
    leaves `ratio`. The box is placed uniformly inside the image, in continuous pixel
    coordinates, and resampled bilinearly by `ssl_zoo.augmentations.crop_and_resize`.

    With `training=False` the whole image is resized to `(height, width)` (identity when the
    size already matches).

    Args:
        height: int. Output height.
        width: int. Output width.
        scale: pair of floats in (0, 1]. Range of the box area as a fraction of the image.
        ratio: pair of floats > 0. Range of the box aspect ratio, width / height.
        seed: int or None. Seed of the layer's `keras.random.SeedGenerator`.

    Input: float tensor (B, H, W, C). Output: (B, height, width, C).

    Example:
    ```python
    crop = ssl_zoo.augmentations.RandomResizedCrop(16, 16, seed=0)
    views = crop(np.random.rand(8, 28, 28, 1).astype("float32"), training=True)  # (8, 16, 16, 1)
    ```
    """

    def __init__(self, height, width, scale=(0.08, 1.0), ratio=(3 / 4, 4 / 3), seed=None, **kwargs):
        super().__init__(**kwargs)
        _check_range("scale", scale, 0.0)
        if scale[1] > 1.0:
            raise ValueError(f"scale must lie in (0, 1]. Received: scale={scale}")
        _check_range("ratio", ratio, 0.0)
        self.height = height
        self.width = width
        self.scale = tuple(scale)
        self.ratio = tuple(ratio)
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)

    def sample_boxes(self, batch_size, image_height, image_width):
        """Draws one crop box per image.

        Args:
            batch_size: int or scalar tensor. Number of boxes B.
            image_height: int. Input image height H.
            image_width: int. Input image width W.

        Returns:
            Float32 tensor (B, 4): `(top, left, box_height, box_width)` in pixels, each box
            inside the image with area in `scale * H * W`.
        """
        shape = (batch_size,)
        image_area = float(image_height * image_width)
        area = image_area * keras.random.uniform(
            shape, self.scale[0], self.scale[1], seed=self.seed_generator
        )
        log_ratio = keras.random.uniform(
            shape, math.log(self.ratio[0]), math.log(self.ratio[1]), seed=self.seed_generator
        )
        box_width = keras.ops.sqrt(area * keras.ops.exp(log_ratio))
        box_width = keras.ops.clip(box_width, area / image_height, float(image_width))
        box_height = area / box_width  # <= image_height because box_width >= area / H
        top = keras.random.uniform(shape, seed=self.seed_generator) * (image_height - box_height)
        left = keras.random.uniform(shape, seed=self.seed_generator) * (image_width - box_width)
        return keras.ops.stack([top, left, box_height, box_width], axis=1)  # (B, 4)

    def call(self, images, training=True):
        images = keras.ops.cast(images, self.compute_dtype)
        if len(images.shape) != 4:
            raise ValueError(
                f"RandomResizedCrop expects a batch (B, H, W, C). Received: shape={images.shape}"
            )
        image_height, image_width = images.shape[1], images.shape[2]
        batch_size = keras.ops.shape(images)[0]
        if training:
            boxes = self.sample_boxes(batch_size, image_height, image_width)
        else:
            full_image = keras.ops.convert_to_tensor(
                [0.0, 0.0, image_height, image_width], dtype=images.dtype
            )
            boxes = keras.ops.broadcast_to(full_image[None, :], (batch_size, 4))
        return crop_and_resize(images, boxes, self.height, self.width)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.height, self.width, input_shape[-1])

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "height": self.height,
                "width": self.width,
                "scale": self.scale,
                "ratio": self.ratio,
                "seed": self.seed,
            }
        )
        return config
