"""A grid of tiles cut from each image on the device, put in one of a fixed set of orders."""

import keras
import numpy as np


def _one_hot_rows(starts, length, size):
    """`(..., length, size)` float32: row `i` selects pixel `starts + i` of `size`."""
    pixels = keras.ops.expand_dims(starts, -1) + keras.ops.arange(length, dtype="int32")  # (..., length)
    return keras.ops.one_hot(pixels, size, dtype="float32")


@keras.saving.register_keras_serializable(package="ssl_zoo")
class JigsawTiles(keras.layers.Layer):
    """Cuts `grid x grid` tiles of each image and shuffles them by a permutation of a fixed set.

    Noroozi & Favaro 2016, Sec. 3: each image is split into a grid of cells; from each cell
    a tile smaller by `gap` pixels per side is cut at a random offset (so neighbouring tiles
    never share an edge, against the shortcut of matching edges), the tiles are put in the
    order of permutation `k` of `permutations` (position `p` holds tile `permutations[k, p]`),
    and `k` is the label. Each tile is standardized on its own, per channel, and given the
    mean and standard deviation of its whole image instead (the paper's per-tile
    normalization, against the shortcut of tiles' low-level statistics, kept in the range of
    the images the backbone later embeds).

    Call: images `(B, H, W, C)` in [0, 1] give `[tiles, labels]`: `(B T, tile_h, tile_w, C)`
    (the `T = grid^2` positions of image 0, then of image 1, ...) and the labels `(B,)` int32.
    While training the offsets and labels are drawn (seeded by `seed`); outside training
    every tile is cut from the middle of its cell and the order is the identity, label 0.

    Args:
        height, width: ints. The images' size; `grid` must divide both.
        grid: int >= 2. Tiles per side.
        gap: int >= 0. Pixels each tile is shorter than its cell, per axis.
        permutations: int array `(P, T)`: the orders (row 0 the identity).
        seed: int or None.
    """

    def __init__(self, height, width, grid, gap, permutations, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.height, self.width, self.grid, self.gap = height, width, grid, gap
        self.cell = (height // grid, width // grid)
        self.tile_size = (self.cell[0] - gap, self.cell[1] - gap)
        self.permutations = np.asarray(permutations, np.int32)
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)

    def call(self, images, training=None):
        batch = keras.ops.shape(images)[0]
        tiles = self.grid * self.grid
        if training:
            labels = keras.random.randint((batch,), 0, len(self.permutations), seed=self.seed_generator)
            offsets = keras.random.randint((2, batch, tiles), 0, self.gap + 1, seed=self.seed_generator)
        else:
            labels = keras.ops.zeros((batch,), "int32")
            offsets = keras.ops.full((2, batch, tiles), self.gap // 2, "int32")
        labels = keras.ops.cast(labels, "int32")
        # The tile at each position: (B, T); its cell's row and column.
        source = keras.ops.take(keras.ops.convert_to_tensor(self.permutations), labels, axis=0)
        rows = (source // self.grid) * self.cell[0] + keras.ops.cast(offsets[0], "int32")
        columns = (source % self.grid) * self.cell[1] + keras.ops.cast(offsets[1], "int32")
        # Exact one-hot selections: (B, T, tile_h, H) and (B, T, tile_w, W).
        select_rows = _one_hot_rows(rows, self.tile_size[0], self.height)
        select_columns = _one_hot_rows(columns, self.tile_size[1], self.width)
        images = keras.ops.cast(images, "float32")
        cut = keras.ops.einsum("btih,bhwc->btiwc", select_rows, images)
        cut = keras.ops.einsum("btiwc,btjw->btijc", cut, select_columns)  # (B, T, th, tw, C)
        cut = self._normalize(cut, images)
        shape = (-1, self.tile_size[0], self.tile_size[1], keras.ops.shape(images)[-1])
        return [keras.ops.cast(keras.ops.reshape(cut, shape), self.compute_dtype), labels]

    @staticmethod
    def _normalize(tiles, images):
        """Each tile's own mean and standard deviation (per channel) replaced by its image's."""
        mean = keras.ops.mean(tiles, axis=(2, 3), keepdims=True)  # (B, T, 1, 1, C)
        std = keras.ops.sqrt(keras.ops.var(tiles, axis=(2, 3), keepdims=True) + 1e-6)
        image_mean = keras.ops.mean(images, axis=(1, 2), keepdims=True)[:, None]  # (B, 1, 1, 1, C)
        image_std = keras.ops.sqrt(keras.ops.var(images, axis=(1, 2), keepdims=True) + 1e-6)[:, None]
        return (tiles - mean) / std * image_std + image_mean

    def compute_output_spec(self, images, training=None):
        batch, channels = images.shape[0], images.shape[-1]
        rows = None if batch is None else batch * self.grid * self.grid
        return [
            keras.KerasTensor((rows, *self.tile_size, channels), dtype=self.compute_dtype),
            keras.KerasTensor((batch,), dtype="int32"),
        ]

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "height": self.height, "width": self.width, "grid": self.grid, "gap": self.gap,
                "permutations": self.permutations.tolist(), "seed": self.seed,
            }
        )
        return config
