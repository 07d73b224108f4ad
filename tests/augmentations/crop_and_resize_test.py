import numpy as np

from ssl_zoo import augmentations
from ssl_zoo.testing.image_oracles import crop_and_resize_numpy
from ssl_zoo.testing.test_case import TestCase


def _images(shape, seed=0):
    return np.random.default_rng(seed).uniform(size=shape).astype("float32")


class CropAndResizeTest(TestCase):
    def test_matches_numpy_oracle(self):
        images = _images((4, 9, 11, 2))
        boxes = np.array(
            [
                [0.0, 0.0, 9.0, 11.0],  # whole image
                [1.3, 2.7, 4.5, 6.2],  # fractional box inside
                [5.0, 0.0, 4.0, 3.0],  # touching the bottom and left edges
                [0.25, 7.5, 8.5, 3.5],  # narrow, touching the right edge
            ],
            "float32",
        )
        for height, width in [(5, 7), (12, 6), (9, 11)]:
            self.assertAllClose(
                augmentations.crop_and_resize(images, boxes, height, width),
                crop_and_resize_numpy(images, boxes, height, width),
                atol=1e-5,
                msg=f"output size {(height, width)}",
            )

    def test_whole_image_at_same_size_is_identity(self):
        images = _images((2, 7, 5, 3))
        boxes = np.array([[0, 0, 7, 5]] * 2, "float32")
        crops = augmentations.crop_and_resize(images, boxes, 7, 5)
        self.assertAllClose(crops, images, atol=0, rtol=0)

    def test_integer_box_at_native_size_is_a_slice(self):
        images = _images((2, 10, 10, 1))
        boxes = np.array([[2, 3, 4, 5], [6, 0, 4, 5]], "float32")
        expected = np.stack([images[0, 2:6, 3:8], images[1, 6:10, 0:5]])
        self.assertAllClose(augmentations.crop_and_resize(images, boxes, 4, 5), expected, atol=1e-6)

    def test_rejects_unbatched_images(self):
        with self.assertRaisesRegex(ValueError, r"images must be a batch \(B, H, W, C\)"):
            augmentations.crop_and_resize(_images((8, 8, 3)), np.zeros((1, 4)), 4, 4)
