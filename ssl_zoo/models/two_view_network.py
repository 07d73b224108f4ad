"""The network BYOL, SimSiam and MoCo share: two views, an encoder (and a predictor) on each view."""

import keras

from ssl_zoo import augmentations
from ssl_zoo import layers


def build_two_view_network(task, projector, predictor, num_local_crops=0, local_size=None,
                           local_crop_scale=(0.05, 0.4), local_blur_probability=0.5, **view_settings):
    """Set `task.views`, `projector`, `encoder`, `predictor`; the functional graph's tensors.

    `task.encoder` is a `keras.Sequential` of `task.backbone` (set by
    `ImageSSLTask.build_image_layers` first), global average pooling and `projector`: the
    network a momentum target copies. In the graph, the images (pixels in [0, 255]) are
    rescaled, `task.views` (`ssl_zoo.augmentations.TwoViewAugmentation` at the backbone's
    input size) stacks the two views `(2B, ...)` while training, and the encoder and
    `predictor` run on each view on its own (`ssl_zoo.layers.EachView`, so BatchNormalization
    keeps each view's batch statistics, as BYOL's and SimSiam's code call the networks once
    per view).

    With `num_local_crops > 0` (multi-crop, BYOL's option), `task.views` is a
    `ssl_zoo.augmentations.MultiCropAugmentation`: the two views as above plus
    `num_local_crops` local crops of each image at a smaller size, which the encoder and
    `predictor` also run on, each crop on its own; the target still sees the two views.

    Args:
        task: the `ImageSSLTask` being built, before `super().__init__`.
        projector: layer from the pooled features to the projections `z`.
        predictor: layer from `z` to the predictions `p`, or None (MoCo v2 has none).
        num_local_crops: int >= 0. Local crops per image besides the two views.
        local_size, local_crop_scale, local_blur_probability: the local crops'
            (`MultiCropAugmentation`'s).
        **view_settings: `TwoViewAugmentation`'s keyword arguments (`crop_scale`,
            `jitter_strength`, `blur_probabilities`, `solarize_probabilities`, `seed`).

    Returns:
        `(inputs, tensors)`: the `keras.Input` of the images and a dict of the graph's
        `"views"` (the two), `"projections"` and `"predictions"` (views a, b, then each
        local crop), from which the task picks its outputs.
    """
    height, width, channels = task.backbone.input_shape[1:]
    crop_size = (height, width)
    if num_local_crops:
        task.views = augmentations.MultiCropAugmentation(
            height, width, num_local_crops=num_local_crops, local_size=local_size,
            global_crop_scale=view_settings.pop("crop_scale"), local_crop_scale=local_crop_scale,
            local_blur_probability=local_blur_probability, name="views", **view_settings,
        )
        task.accept_smaller_images()  # the local crops
        crop_size = (None, None)
    else:
        task.views = augmentations.TwoViewAugmentation(height, width, name="views", **view_settings)
    task.projector = projector
    task.encoder = keras.Sequential(
        [
            keras.Input(shape=crop_size + (channels,)),
            task.backbone,
            keras.layers.GlobalAveragePooling2D(name="features"),
            projector,
        ],
        name="encoder",
    )
    task.predictor = predictor
    inputs = keras.Input(shape=(height, width, channels), name="images")
    crops = task.views(task.rescaling(inputs))
    views = crops[0] if num_local_crops else crops
    projections = layers.EachView(task.encoder, num_local_crops=num_local_crops, name="online")(crops)
    tensors = {"views": views, "projections": projections}
    if predictor is not None:
        tensors["predictions"] = layers.EachView(predictor, num_views=2 + num_local_crops, name="prediction")(projections)
    return inputs, tensors
