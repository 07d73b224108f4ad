import numpy as np

from ssl_zoo import layers
from ssl_zoo.testing.test_case import TestCase
from ssl_zoo.testing.test_case import random_normal


def grid_means(feature_map, bounds_rows, bounds_columns):
    """Float64 oracle: the mean of each listed cell, cells row-major, channels within a cell."""
    feature_map = np.asarray(feature_map, np.float64)
    cells = [
        feature_map[:, r0:r1, c0:c1].mean(axis=(1, 2))
        for r0, r1 in bounds_rows
        for c0, c1 in bounds_columns
    ]
    return np.concatenate(cells, axis=-1)


class GridAveragePooling2DTest(TestCase):
    def test_cells_tile_a_map_that_the_grid_does_not_divide(self):
        x = random_normal((2, 7, 5, 3))
        # 7 rows in 3 cells: [0, 2), [2, 4), [4, 7); 5 columns: [0, 1), [1, 3), [3, 5).
        expected = grid_means(x, [(0, 2), (2, 4), (4, 7)], [(0, 1), (1, 3), (3, 5)])
        out = layers.GridAveragePooling2D(3)(x)
        self.assertEqual(tuple(out.shape), (2, 27))
        self.assertAllClose(out, expected, atol=1e-6)

    def test_grid_of_one_is_global_average_pooling(self):
        x = random_normal((3, 7, 7, 4))
        self.assertAllClose(
            layers.GridAveragePooling2D(1)(x), np.asarray(x, np.float64).mean(axis=(1, 2)), atol=1e-6
        )

    def test_config_round_trip(self):
        layer = layers.GridAveragePooling2D(2, name="grid")
        self.assertEqual(layers.GridAveragePooling2D.from_config(layer.get_config()).get_config(), layer.get_config())

    def test_numpy_int_grid_size(self):
        x = random_normal((2, 4, 4, 3))
        expected = grid_means(x, [(0, 2), (2, 4)], [(0, 2), (2, 4)])
        self.assertAllClose(layers.GridAveragePooling2D(np.int64(2))(x), expected, atol=1e-6)

    def test_bad_inputs(self):
        for grid_size in (0, 2.0, True):
            with self.assertRaisesRegex(ValueError, f"grid_size must be an int >= 1. Received: grid_size={grid_size!r}"):
                layers.GridAveragePooling2D(grid_size)
        with self.assertRaisesRegex(ValueError, r"H and W >= 3. Received: shape=\(2, 2, 7, 4\)"):
            layers.GridAveragePooling2D(3)(random_normal((2, 2, 7, 4)))
