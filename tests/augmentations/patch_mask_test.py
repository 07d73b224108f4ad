import keras
import numpy as np

from ssl_zoo import augmentations
from ssl_zoo.testing.test_case import TestCase


class RandomPatchMaskTest(TestCase):
    def test_hides_exactly_num_hidden_whole_patches(self):
        mask = np.asarray(augmentations.random_patch_mask(16, 12, 8, 4, num_hidden=2, seed=0))
        self.assertEqual(mask.shape, (16, 12, 8, 1))
        self.assertTrue(set(np.unique(mask)) <= {0.0, 1.0})
        patches = mask[..., 0].reshape(16, 3, 4, 2, 4).transpose(0, 1, 3, 2, 4).reshape(16, 6, 16)
        # Every 4x4 patch is hidden or visible as a whole, and 2 of the 6 are hidden.
        self.assertTrue(np.all(patches.min(-1) == patches.max(-1)))
        np.testing.assert_array_equal(patches[..., 0].sum(1), np.full(16, 2))
        # Different images hide different patches.
        self.assertGreater(len({tuple(p[:, 0]) for p in patches}), 1)

    def test_grid_is_cut_at_the_border_when_patches_do_not_divide_the_image(self):
        self.assertEqual(augmentations.patch_grid(10, 7, 4), (3, 2))
        mask = np.asarray(augmentations.random_patch_mask(64, 10, 7, 4, num_hidden=5, seed=1))
        self.assertEqual(mask.shape, (64, 10, 7, 1))
        # 5 of the 6 patches are hidden: the one visible patch covers 16, 12, 8 or 6 pixels.
        visible = (1 - mask).reshape(64, -1).sum(1)
        self.assertTrue(set(visible) <= {16.0, 12.0, 8.0, 6.0})
        self.assertEqual(len(set(visible)), 4)

    def test_seeded_masks_repeat(self):
        first = augmentations.random_patch_mask(4, 8, 8, 2, 5, seed=keras.random.SeedGenerator(3))
        second = augmentations.random_patch_mask(4, 8, 8, 2, 5, seed=keras.random.SeedGenerator(3))
        self.assertAllClose(first, second, atol=0, rtol=0)

    def test_rejects_impossible_counts(self):
        with self.assertRaisesRegex(ValueError, r"num_hidden must be in \[0, 4\] for a 2x2 patch grid"):
            augmentations.random_patch_mask(1, 8, 8, 4, num_hidden=5)
