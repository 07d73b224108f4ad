"""Tiny models and data that keep the test suite fast on two CPU cores."""

import numpy as np

from ssl_zoo.backbones import SmallResNetBackbone


def tiny_backbone(image_shape=(16, 16, 1)):
    return SmallResNetBackbone(
        image_shape=image_shape,
        stem_filters=4,
        stackwise_num_filters=(4, 8),
        stackwise_num_blocks=(1, 1),
        stackwise_num_strides=(1, 2),
    )


def random_images(n=32, image_shape=(16, 16), seed=0):
    return np.random.default_rng(seed).integers(0, 256, (n, *image_shape)).astype("uint8")
