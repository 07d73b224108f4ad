"""Jigsaw: learn features by putting an image's shuffled tiles back in order."""

import math

import keras
import numpy as np

from ssl_zoo import arguments
from ssl_zoo.models.image_ssl_task import ImageSSLTask
from ssl_zoo.models.jigsaw.jigsaw_permutations import jigsaw_permutations
from ssl_zoo.models.jigsaw.jigsaw_tiles import JigsawTiles


def _check_grid(grid, height, width):
    arguments.check_int("grid", grid, 2, " (tiles per side: 2 for 2x2, 3 for 3x3)")
    if height % grid or width % grid:
        raise ValueError(
            f"grid must divide the image size {height}x{width} px into equal cells. Received: grid={grid} "
            f"(divisors of both sides: {[g for g in range(2, min(height, width) + 1) if not height % g and not width % g]})"
        )


def _check_permutations(permutations, num_tiles):
    permutations = np.asarray(permutations)
    valid = (
        permutations.ndim == 2 and permutations.shape[1] == num_tiles and len(permutations) >= 2
        and all(sorted(row) == list(range(num_tiles)) for row in permutations.tolist())
        and len({tuple(row) for row in permutations.tolist()}) == len(permutations)
    )
    if not valid:
        raise ValueError(
            f"permutations must be at least 2 distinct orders of the {num_tiles} tiles, an int array "
            f"(P, {num_tiles}); None builds them. Received: permutations of shape {permutations.shape}"
        )
    return permutations.astype(np.int32)


def _check_tile_size(backbone, tile_size):
    """Refuse tiles smaller than the backbone's downsampling: its last feature map would be
    all padding, one output pixel for less than one stride of input."""
    (height, width), (out_h, out_w) = backbone.input_shape[1:3], backbone.output_shape[1:3]
    stride = (math.ceil(height / out_h), math.ceil(width / out_w))
    if tile_size[0] < stride[0] or tile_size[1] < stride[1]:
        raise ValueError(
            f"Tiles of {tile_size[0]}x{tile_size[1]} px are smaller than the backbone's downsampling "
            f"({stride[0]}x{stride[1]} px per output pixel of {type(backbone).__name__}): choose a smaller "
            "grid or gap, or larger images."
        )


@keras.saving.register_keras_serializable(package="ssl_zoo")
class Jigsaw(ImageSSLTask):
    """Jigsaw pretraining task: a shared tile encoder and a classifier of the tiles' order.

    Noroozi & Favaro, "Unsupervised Learning of Visual Representations by Solving Jigsaw
    Puzzles" (ECCV 2016). Each image is cut into a `grid x grid` layout of tiles on the
    device (`JigsawTiles`: a `gap` between neighbouring tiles at random offsets, each tile
    normalized on its own), shuffled by one permutation drawn from a fixed set of
    `num_permutations` orders far apart in Hamming distance (`jigsaw_permutations`, the
    identity first). Every tile goes through the backbone (the context-free network's shared
    tower) and global average pooling; the `T` features are concatenated in the shuffled
    order and a classifier (`Dense(hidden_dim) - ReLU - Dense(num_permutations)`) names the
    permutation. The loss is the cross-entropy; `fit` reports `permutation_accuracy`.

    Defaults: for images under 64 px a 2x2 grid with all 24 orders (a 28 px image gives
    14 px cells and 12 px tiles with `gap=2`); otherwise 3x3 with 100 orders (1,000 in the
    paper, for 225 px crops of 75 px cells and 64 px tiles) and a gap of 1/8 of the cell.
    The set, its seed and the rest are saved in the config, so a preset reproduces the task.

    Inputs are pixel values in [0, 255] `(B, H, W, C)`. The model's outputs are a dict:
    `"logits"` `(B, num_permutations)` and `"permutations"` `(B,)`, the drawn labels;
    outside training the tiles keep their order (label 0). The representation to reuse
    (`embed`) is the backbone on whole images, as every image task's.

    Args:
        backbone: `keras_hub.models.Backbone` mapping images in [0, 1] to a feature map; it
            must take the tiles' size too (its input size check is relaxed to that).
        grid: int >= 2 dividing both image sides, or None (2 under 64 px, else 3).
        num_permutations: int in [2, T!], or None (24 for 2x2, 100 for 3x3).
        gap: int >= 0 below the cell size, or None (2 px for cells under 32 px, else 1/8 of
            the cell).
        hidden_dim: int. Width of the classifier's hidden layer.
        permutations: None (built from `num_permutations` and `permutation_seed`), or an int
            array `(P, T)` of distinct orders (a saved set).
        permutation_seed: int. Seed of the set's tie-breaking.
        seed: int or None. Seed of the offsets and the drawn permutations.
        feature_grid: int >= 1. Cells per side of the representation's grid.

    Example:
    ```python
    (x_train, _), _ = ssl_zoo.data.load_fashion_mnist()
    backbone = ssl_zoo.backbones.SmallResNetBackbone(image_shape=(28, 28, 1))
    model = ssl_zoo.models.Jigsaw(backbone)  # 2x2 tiles of 12 px, all 24 orders
    model.fit(x_train, batch_size=256, epochs=10)
    model.save_to_preset("jigsaw_fashion_mnist")
    ```
    """

    def __init__(
        self,
        backbone,
        grid=None,
        num_permutations=None,
        gap=None,
        hidden_dim=512,
        permutations=None,
        permutation_seed=0,
        seed=None,
        feature_grid=3,
        preprocessor=None,
        **kwargs,
    ):
        height, width, channels = backbone.input_shape[1:]
        grid = (2 if min(height, width) < 64 else 3) if grid is None else grid
        _check_grid(grid, height, width)
        num_tiles = grid * grid
        if permutations is None:
            num_permutations = (math.factorial(num_tiles) if grid == 2 else 100) if num_permutations is None \
                else num_permutations
            permutations = jigsaw_permutations(num_tiles, num_permutations, permutation_seed)
        permutations = _check_permutations(permutations, num_tiles)
        cell = min(height, width) // grid
        gap = (2 if cell < 32 else cell // 8) if gap is None else gap
        if not (arguments.is_int(gap) and 0 <= gap < cell):
            raise ValueError(
                f"gap must be an int in [0, {cell}), pixels between tiles in cells of {cell} px. Received: gap={gap!r}"
            )
        # === Layers ===
        self.build_image_layers(backbone, feature_grid, preprocessor)
        self.tiles = JigsawTiles(height, width, grid, gap, permutations, seed=seed, name="tiles")
        _check_tile_size(backbone, self.tiles.tile_size)
        self.accept_smaller_images()  # the tiles
        self.pooling = keras.layers.GlobalAveragePooling2D(name="features")
        self.hidden = keras.layers.Dense(hidden_dim, activation="relu", name="hidden")
        self.classifier = keras.layers.Dense(len(permutations), name="permutation_classifier")

        # === Functional Model ===
        inputs = keras.Input(shape=(height, width, channels), name="images")
        tiles, labels = self.tiles(self.rescaling(inputs))
        features = self.pooling(self.backbone(tiles))  # (B T, F)
        features = keras.ops.reshape(features, (-1, num_tiles * features.shape[-1]))  # (B, T F), in order
        logits = self.classifier(self.hidden(features))
        super().__init__(inputs=inputs, outputs={"logits": logits, "permutations": labels}, **kwargs)
        self.permutation_accuracy = keras.metrics.SparseCategoricalAccuracy(name="permutation_accuracy")

        # === Config ===
        self.grid = grid
        self.num_permutations = len(permutations)
        self.gap = gap
        self.hidden_dim = hidden_dim
        self.permutations = permutations
        self.permutation_seed = permutation_seed
        self.seed = seed

    def pretext_loss(self, x, y, y_pred, sample_weight):
        labels, logits = y_pred["permutations"], keras.ops.cast(y_pred["logits"], "float32")
        self.permutation_accuracy.update_state(labels, logits)
        return keras.ops.mean(keras.losses.sparse_categorical_crossentropy(labels, logits, from_logits=True))

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "grid": self.grid,
                "num_permutations": self.num_permutations,
                "gap": self.gap,
                "hidden_dim": self.hidden_dim,
                "permutations": self.permutations.tolist(),
                "permutation_seed": self.permutation_seed,
                "seed": self.seed,
            }
        )
        return config
