import keras
import numpy as np

from ssl_zoo import augmentations
from ssl_zoo.testing.test_case import TestCase


def _images(shape, seed=0):
    return np.random.default_rng(seed).uniform(size=shape).astype("float32")


class QuarterTurnsTest(TestCase):
    def test_rotate_matches_np_rot90_exactly(self):
        for shape in [(3, 5, 5, 2), (2, 4, 7, 1)]:
            images = _images(shape)
            for k in range(-1, 6):
                expected = np.rot90(images, k, axes=(1, 2))
                self.assertAllClose(
                    augmentations.rotate_quarter_turns(images, k), expected, atol=0, rtol=0,
                    msg=f"shape {shape}, k={k}",
                )

    def test_one_turn_is_counterclockwise(self):
        images = np.array([[1.0, 2.0], [3.0, 4.0]]).reshape(1, 2, 2, 1)
        turned = augmentations.rotate_quarter_turns(images, 1)
        self.assertAllClose(turned[0, ..., 0], [[2.0, 4.0], [1.0, 3.0]], atol=0, rtol=0)

    def test_quarter_turns_stacks_the_four_turns_with_their_labels(self):
        images = _images((3, 6, 6, 2))
        turned, labels = augmentations.quarter_turns(images)
        expected = np.concatenate([np.rot90(images, k, axes=(1, 2)) for k in range(4)])
        self.assertAllClose(turned, expected, atol=0, rtol=0)
        np.testing.assert_array_equal(
            np.asarray(labels), [0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3]
        )
        self.assertEqual(keras.backend.standardize_dtype(labels.dtype), "int32")

    def test_rejects_non_square_and_unbatched_images(self):
        with self.assertRaisesRegex(ValueError, r"square images \(B, S, S, C\).*\(2, 4, 6, 1\)"):
            augmentations.quarter_turns(_images((2, 4, 6, 1)))
        with self.assertRaisesRegex(ValueError, r"images must be a batch"):
            augmentations.rotate_quarter_turns(_images((4, 4, 1)), 1)
