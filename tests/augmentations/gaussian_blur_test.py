import numpy as np
from absl.testing import parameterized

from ssl_zoo import augmentations
from ssl_zoo.testing.image_oracles import gaussian_blur_numpy
from ssl_zoo.testing.test_case import TestCase


class GaussianBlurTest(TestCase):
    @parameterized.parameters(3, 5)
    def test_matches_numpy_oracle(self, kernel_size):
        images = np.random.default_rng(0).uniform(size=(3, 10, 12, 2)).astype("float32")
        sigma = np.array([0.3, 1.0, 2.0], "float32")
        self.assertAllClose(
            augmentations.gaussian_blur(images, sigma, kernel_size),
            gaussian_blur_numpy(images, sigma, kernel_size),
            atol=1e-5,
        )

    def test_each_image_uses_its_own_sigma(self):
        image = np.random.default_rng(1).uniform(size=(1, 8, 8, 1)).astype("float32")
        pair = np.concatenate([image, image])
        blurred = augmentations.gaussian_blur(pair, np.array([0.1, 2.0]), kernel_size=3)
        self.assertAllClose(blurred[0], image[0], atol=1e-4)  # sigma 0.1: side taps ~ 1e-22
        self.assertGreater(np.abs(np.asarray(blurred[1]) - image[0]).max(), 0.05)

    def test_constant_image_is_unchanged(self):
        images = np.full((2, 6, 6, 3), 0.4, "float32")
        blurred = augmentations.gaussian_blur(images, np.array([0.5, 1.5]), kernel_size=5)
        self.assertAllClose(blurred, images, atol=1e-6)

    def test_kernel_size_is_odd_tenth_of_side(self):
        sizes = [augmentations.blur_kernel_size(side) for side in (16, 32, 96, 224)]
        self.assertEqual(sizes, [3, 3, 9, 23])

    def test_rejects_even_kernel(self):
        with self.assertRaisesRegex(ValueError, "kernel_size must be an odd int >= 3"):
            augmentations.gaussian_blur(np.zeros((1, 8, 8, 1)), np.ones((1,)), 4)
