"""The network BYOL and SimSiam share: two views, an encoder and a predictor on each view."""

import keras

from ssl_zoo import layers


def build_two_view_network(task, views, projector, predictor):
    """Set `task.views`, `projector`, `encoder`, `predictor`; the functional graph's tensors.

    `task.encoder` is a `keras.Sequential` of `task.backbone` (set by
    `ImageSSLTask.build_image_layers` first), global average pooling and `projector`: the
    network a momentum target copies. In the graph, the images (pixels in [0, 255]) are
    rescaled, `views` stacks the two views `(2B, ...)` while training, and the encoder and
    `predictor` run on each view on its own (`ssl_zoo.layers.EachView`, so BatchNormalization
    keeps each view's batch statistics, as BYOL's and SimSiam's code call the networks once
    per view).

    Args:
        task: the `ImageSSLTask` being built, before `super().__init__`.
        views: layer `(B, H, W, C) -> (2B, H, W, C)` while training (e.g.
            `ssl_zoo.augmentations.TwoViewAugmentation`), the identity otherwise.
        projector: layer from the pooled features to the projections `z`.
        predictor: layer from `z` to the predictions `p`.

    Returns:
        `(inputs, tensors)`: the `keras.Input` of the images and a dict of the graph's
        `"views"`, `"projections"` and `"predictions"`, views a then b, from which the task
        picks its outputs.
    """
    height, width, channels = task.backbone.input_shape[1:]
    task.views = views
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
    stacked = views(task.rescaling(inputs))
    projections = layers.EachView(task.encoder, name="online")(stacked)
    predictions = layers.EachView(predictor, name="prediction")(projections)
    return inputs, {"views": stacked, "projections": projections, "predictions": predictions}
