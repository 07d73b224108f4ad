"""Tiny models and data that keep the test suite fast on two CPU cores."""

import keras
import numpy as np

from ssl_zoo.backbones import SmallResNetBackbone
from ssl_zoo.testing.image_oracles import grid_means_numpy


def tiny_backbone(image_shape=(16, 16, 1)):
    return SmallResNetBackbone(
        image_shape=image_shape,
        stem_filters=4,
        stackwise_num_filters=(4, 8),
        stackwise_num_blocks=(1, 1),
        stackwise_num_strides=(1, 2),
    )


def one_stage_backbone(image_shape=(16, 16, 1)):
    """`tiny_backbone` without its second stage: a stem and one residual block of 4 filters
    at full resolution, for the tiny tasks whose training step runs the backbone four times
    (BYOL: two views through the online and the target network)."""
    return SmallResNetBackbone(
        image_shape=image_shape,
        stem_filters=4,
        stackwise_num_filters=(4,),
        stackwise_num_blocks=(1,),
        stackwise_num_strides=(1,),
    )


def random_images(n=32, image_shape=(16, 16), seed=0):
    return np.random.default_rng(seed).integers(0, 256, (n, *image_shape)).astype("uint8")


def tiny_stage_features(backbone, images, grid):
    """Oracle of the image representation for `tiny_backbone`: the output of both stages on
    `images` / 255, each averaged over `grid x grid` cells in float64 NumPy, concatenated."""
    stages = keras.Model(backbone.input, [backbone.get_layer(f"stage{i}_block0_out").output for i in (0, 1)])
    feature_maps = stages.predict(images[..., None].astype("float32") / 255.0, verbose=0)
    return np.concatenate([grid_means_numpy(m, grid) for m in feature_maps], axis=-1)
