"""The image representation: every level of a backbone's feature pyramid, pooled on a grid."""

import keras

from ssl_zoo import layers


def grid_features(backbone, pixels, feature_grid, name):
    """Every level of `backbone`'s feature pyramid on `pixels`, averaged over a grid of cells.

    The levels are keras-hub's `pyramid_outputs` (for `SmallResNetBackbone` the output of
    each stage; the backbone output if it has no pyramid), each averaged over
    `feature_grid x feature_grid` cells (`ssl_zoo.layers.GridAveragePooling2D`) and
    concatenated from the finest level to the coarsest. The representation of the image
    tasks (`ImageSSLTask.feature_extractor`) and the input of `ImageClassifier`'s head.

    Args:
        backbone: `keras_hub.models.Backbone` taking images in [0, 1].
        pixels: symbolic tensor `(B, H, W, C)` the backbone takes.
        feature_grid: int >= 1. Cells per side.
        name: str. Name of the concatenating layer.

    Returns:
        Symbolic tensor `(B, feature_grid**2 * sum of the levels' channels)`.
    """
    feature_maps = keras.Model(backbone.input, _levels(backbone))(pixels)
    cells = [layers.GridAveragePooling2D(feature_grid)(level) for level in feature_maps]
    return keras.layers.Concatenate(name=name)(cells)


def check_feature_grid(backbone, feature_grid):
    """Fail now, not after training, if a level of `backbone` is smaller than the grid."""
    for level in _levels(backbone):
        layers.GridAveragePooling2D(feature_grid).build(level.shape)


def _levels(backbone):
    """The backbone's feature maps that make the representation, finest first."""
    return list((getattr(backbone, "pyramid_outputs", None) or {"output": backbone.output}).values())
