import os

import numpy as np
from PIL import Image

from ssl_zoo import evaluation
from ssl_zoo.testing.test_case import TestCase


def _stages(n=2, shape=(3, 4, 1)):
    return {name: np.full((n, *shape), value, "float32")
            for name, value in (("input", 0.0), ("corrupted", 0.5), ("output", 1.0))}


class ReconstructionGridTest(TestCase):
    def test_rows_are_stages_and_columns_are_images(self):
        grid = evaluation.reconstruction_grid(_stages(), scale=1, gap=1)
        self.assertEqual(grid.shape, (3 * 3 + 2, 2 * 4 + 1))
        np.testing.assert_array_equal(grid[0:3, 0:4], 0)
        np.testing.assert_array_equal(grid[4:7, 5:9], 128)
        np.testing.assert_array_equal(grid[8:11, 0:4], 255)
        np.testing.assert_array_equal(grid[3], 255)  # white gap between rows

    def test_save_writes_a_scaled_png(self):
        path = os.path.join(self.get_temp_dir(), "sub", "grid.png")
        evaluation.save_reconstruction_grid(_stages(shape=(3, 4, 3)), path, scale=2)
        with Image.open(path) as picture:
            self.assertEqual((picture.mode, picture.size), ("RGB", (2 * (2 * 4 + 2), 2 * (3 * 3 + 4))))
        self.assertEqual(os.listdir(os.path.dirname(path)), ["grid.png"])

    def test_rejects_missing_stages(self):
        stages = _stages()
        del stages["corrupted"]
        with self.assertRaisesRegex(ValueError, "Missing: corrupted"):
            evaluation.reconstruction_grid(stages)
