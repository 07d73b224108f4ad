from absl.testing import parameterized

from ssl_zoo.kernels import tiling
from ssl_zoo.testing.test_case import TestCase


class TileShapeTest(TestCase):
    @parameterized.parameters((None, 16384), (None, 2), (None, 300), (7, 1000), (1, 5), (300, 64))
    def test_tiles_fit_the_rows_and_stay_bounded(self, block_size, m):
        b, c = tiling.tile_shape(block_size, m)
        self.assertEqual(c % b, 0)
        self.assertLessEqual(b, m)
        self.assertLess(c, m + b)  # at most one partly padded block of columns
        self.assertLessEqual(b * c, max(b * b, tiling.TRIANGLE_FLOATS))

    @parameterized.parameters((None, 2048), (None, 16384), (None, 131072), (64, 4096))
    def test_columns_wasted_below_the_diagonal_stay_few(self, block_size, m):
        b, c = tiling.tile_shape(block_size, m)
        self.assertLessEqual(c, max(b, m // tiling.WASTE_DIVISOR))

    def test_unknown_rows_give_square_tiles(self):
        self.assertEqual(tiling.tile_shape(None, None), (tiling.TRIANGLE_ROWS,) * 2)
        self.assertEqual(tiling.tile_shape(32, None), (32, 32))

    def test_bad_block_size_names_the_argument(self):
        for bad in (0, -3, 2.5, "64", True):
            with self.assertRaisesRegex(ValueError, "block_size must be an int >= 1"):
                tiling.tile_shape(bad, 100)


class InfoNCETileShapeTest(TestCase):
    def test_exact_shapes(self):
        self.assertEqual(tiling.info_nce_tile_shape(None, 4096), (512, 512))
        self.assertEqual(tiling.info_nce_tile_shape(None, 64), (64, 4096))  # wider for few queries
        self.assertEqual(tiling.info_nce_tile_shape(None, None), (512, 512))
        self.assertEqual(tiling.info_nce_tile_shape(None, 4096, rows=1024, floats=2**21), (1024, 2048))
        self.assertEqual(tiling.info_nce_tile_shape(8, 100), (8, 32768))
        self.assertEqual(tiling.info_nce_tile_shape((3, 4), 2), (2, 4))

    def test_bad_block_size_names_the_argument(self):
        for bad in (0, 2.5, (4,), (4, 0), (1, 2, 3), ("4", 4)):
            with self.assertRaisesRegex(ValueError, "block_size must be an int >= 1"):
                tiling.info_nce_tile_shape(bad, 100)
