"""A convolutional decoder that mirrors a SmallResNetBackbone."""

import math

import keras

from ssl_zoo.backbones import SmallResNetBackbone


def mirror_decoder(backbone, name="decoder"):
    """Maps pooled backbone features back to images, undoing the backbone's stages in reverse.

    Dense -> reshape to the backbone's feature map `(h, w, c)` -> per stage, last first, a
    3x3 transposed convolution with the stage's stride back to the filters the stage read
    (batch norm, ReLU) -> crop the `h * stride` side to the image side (odd sizes round up
    on the way down: 30 -> 15 -> 8 -> 16 -> 32 -> 30) -> 3x3 convolution to the image's
    channels with a sigmoid, so pixels land in [0, 1]. One transposed convolution per stage,
    whatever the stage's number of blocks.

    Args:
        backbone: `SmallResNetBackbone` with a fixed `image_shape`.
        name: str. Name of the returned model.

    Returns:
        `keras.Sequential` from `(B, stackwise_num_filters[-1])` to `(B, *image_shape)`.
    """
    if not isinstance(backbone, SmallResNetBackbone):
        raise ValueError(
            "The autoencoder's decoder mirrors a ssl_zoo.backbones.SmallResNetBackbone. "
            f"Received: backbone of type {type(backbone).__name__}"
        )
    height, width, channels = backbone.image_shape
    if height is None or width is None:
        raise ValueError(
            "An autoencoder reconstructs images of a fixed size: the backbone's image_shape "
            f"needs a height and width. Received: image_shape={backbone.image_shape}"
        )
    feature_height, feature_width, feature_channels = backbone.output_shape[1:]
    stage_inputs = [backbone.stem_filters, *backbone.stackwise_num_filters[:-1]]
    layers = [
        keras.layers.Dense(feature_height * feature_width * feature_channels, activation="relu"),
        keras.layers.Reshape((feature_height, feature_width, feature_channels)),
    ]
    for filters, stride in reversed(list(zip(stage_inputs, backbone.stackwise_num_strides))):
        layers += [
            keras.layers.Conv2DTranspose(filters, 3, strides=stride, padding="same", use_bias=False),
            keras.layers.BatchNormalization(momentum=0.9),
            keras.layers.ReLU(),
        ]
    total_stride = math.prod(backbone.stackwise_num_strides)
    extra_rows = feature_height * total_stride - height
    extra_columns = feature_width * total_stride - width
    layers += [
        keras.layers.Cropping2D(
            ((extra_rows // 2, extra_rows - extra_rows // 2),
             (extra_columns // 2, extra_columns - extra_columns // 2))
        ),
        keras.layers.Conv2D(channels, 3, padding="same", activation="sigmoid"),
    ]
    return keras.Sequential(layers, name=name)
