"""The network BYOL, SimSiam and MoCo share: two views, an encoder (and a predictor) on each view."""

import keras

from ssl_zoo import augmentations
from ssl_zoo import layers


def build_two_view_network(task, projector, predictor, **view_settings):
    """Set `task.views`, `projector`, `encoder`, `predictor`; the functional graph's tensors.

    `task.encoder` is a `keras.Sequential` of `task.backbone` (set by
    `ImageSSLTask.build_image_layers` first), global average pooling and `projector`: the
    network a momentum target copies. In the graph, the images (pixels in [0, 255]) are
    rescaled, `task.views` (`ssl_zoo.augmentations.TwoViewAugmentation` at the backbone's
    input size) stacks the two views `(2B, ...)` while training, and the encoder and
    `predictor` run on each view on its own (`ssl_zoo.layers.EachView`, so BatchNormalization
    keeps each view's batch statistics, as BYOL's and SimSiam's code call the networks once
    per view).

    Args:
        task: the `ImageSSLTask` being built, before `super().__init__`.
        projector: layer from the pooled features to the projections `z`.
        predictor: layer from `z` to the predictions `p`, or None (MoCo v2 has none).
        **view_settings: `TwoViewAugmentation`'s keyword arguments (`crop_scale`,
            `jitter_strength`, `blur_probabilities`, `solarize_probabilities`, `seed`).

    Returns:
        `(inputs, tensors)`: the `keras.Input` of the images and a dict of the graph's
        `"views"`, `"projections"` and `"predictions"`, views a then b, from which the task
        picks its outputs.
    """
    height, width, channels = task.backbone.input_shape[1:]
    task.views = augmentations.TwoViewAugmentation(height, width, name="views", **view_settings)
    task.projector = projector
    task.encoder = keras.Sequential(
        [
            keras.Input(shape=(height, width, channels)),
            task.backbone,
            keras.layers.GlobalAveragePooling2D(name="features"),
            projector,
        ],
        name="encoder",
    )
    task.predictor = predictor
    inputs = keras.Input(shape=(height, width, channels), name="images")
    stacked = task.views(task.rescaling(inputs))
    projections = layers.EachView(task.encoder, name="online")(stacked)
    tensors = {"views": stacked, "projections": projections}
    if predictor is not None:
        tensors["predictions"] = layers.EachView(predictor, name="prediction")(projections)
    return inputs, tensors
