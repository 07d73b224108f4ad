from absl.testing import parameterized

from ssl_zoo.kernels import gpu_tiles
from ssl_zoo.kernels import precision
from ssl_zoo.testing.test_case import TestCase


def is_power_of_two(x):
    return x >= 1 and x & (x - 1) == 0


class GpuTileTest(TestCase):
    @parameterized.parameters((1, 16), (5, 16), (16, 16), (17, 32), (100, 128), (128, 128), (129, 256), (256, 256))
    def test_padded_width_is_the_next_power_of_two_from_16(self, d, width):
        self.assertEqual(gpu_tiles.padded_width(d), width)
        self.assertEqual(gpu_tiles.gpu_tile(d, "highest").width, width)

    def test_every_configuration_has_power_of_two_blocks_that_tile_the_width(self):
        for table, name in ((t, n) for t in gpu_tiles.TABLES.values() for n in precision.PRECISIONS):
            self.assertEqual(sorted(table[name]), list(gpu_tiles.WIDTHS))
            for width, tile in table[name].items():
                self.assertEqual(tile.width, width)
                self.assertEqual(width % tile.block_k, 0)
                for launch in (tile.forward, tile.backward):
                    for size in (launch.block_m, launch.block_n, launch.warps):
                        self.assertTrue(is_power_of_two(size), (name, width, launch))
                    self.assertEqual(tile.row_multiple % launch.block_m, 0)
                    self.assertEqual(tile.row_multiple % launch.block_n, 0)
                    # tl.dot needs 16 rows, columns and reduction entries.
                    self.assertGreaterEqual(min(launch.block_m, launch.block_n, tile.block_k), 16)

    def test_the_policy_picks_the_table(self):
        self.assertEqual(gpu_tiles.gpu_tile(128), gpu_tiles.CONFIGS[precision.matmul_precision()][128])
        self.assertEqual(gpu_tiles.gpu_tile(128, "tf32"), gpu_tiles.CONFIGS["tf32"][128])
        self.assertEqual(gpu_tiles.gpu_tile(200, "highest", "pallas"), gpu_tiles.PALLAS_CONFIGS["highest"][256])

    def test_too_wide_projections_are_refused(self):
        with self.assertRaisesRegex(ValueError, r"width D <= 256. Received: D=257"):
            gpu_tiles.gpu_tile(257, "highest")
