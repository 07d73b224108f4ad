import colorsys

import numpy as np

from ssl_zoo import augmentations
from ssl_zoo.testing.image_oracles import grayscale_numpy
from ssl_zoo.testing.test_case import TestCase


def _images(shape, seed=0):
    return np.random.default_rng(seed).uniform(size=shape).astype("float32")


class ColorOpsTest(TestCase):
    def test_grayscale_uses_itu_r_601_weights(self):
        pixels = np.eye(3, dtype="float32").reshape(1, 1, 3, 3)  # pure red, green, blue
        gray = augmentations.rgb_to_grayscale(pixels)
        self.assertAllClose(gray[0, 0, :, 0], [0.299, 0.587, 0.114], atol=1e-7)
        images = _images((2, 4, 5, 3))
        expected = grayscale_numpy(images)
        self.assertAllClose(augmentations.rgb_to_grayscale(images), expected, atol=1e-6)

    def test_brightness_scales_each_image(self):
        images, factor = _images((3, 4, 4, 1)), np.array([0.2, 1.0, 1.7], "float32")
        self.assertAllClose(
            augmentations.adjust_brightness(images, factor), images * factor[:, None, None, None]
        )

    def test_contrast_scales_around_channel_mean(self):
        images, factor = _images((3, 4, 5, 3)), np.array([0.0, 0.5, 1.6], "float32")
        mean = images.astype(np.float64).mean(axis=(1, 2), keepdims=True)
        expected = (images - mean) * factor[:, None, None, None] + mean
        self.assertAllClose(augmentations.adjust_contrast(images, factor), expected, atol=1e-6)

    def test_saturation_blends_with_grayscale(self):
        images, factor = _images((3, 4, 4, 3)), np.array([0.0, 1.0, 1.5], "float32")
        gray = grayscale_numpy(images)
        expected = gray + factor[:, None, None, None] * (images - gray)
        self.assertAllClose(augmentations.adjust_saturation(images, factor), expected, atol=1e-6)

    def test_hue_matches_colorsys(self):
        images, delta = _images((3, 3, 4, 3)), np.array([0.0, 0.15, -0.4], "float32")
        expected = np.zeros(images.shape)
        for b in range(3):
            for index in np.ndindex(3, 4):
                h, s, v = colorsys.rgb_to_hsv(*images[b][index].astype(np.float64))
                expected[b][index] = colorsys.hsv_to_rgb((h + delta[b]) % 1.0, s, v)
        self.assertAllClose(augmentations.adjust_hue(images, delta), expected, atol=1e-5)

    def test_hue_third_turn_maps_red_to_green(self):
        red = np.array([1.0, 0.0, 0.0], "float32").reshape(1, 1, 1, 3)
        green = augmentations.adjust_hue(red, np.array([1 / 3]))
        self.assertAllClose(green, [[[[0.0, 1.0, 0.0]]]], atol=1e-5)
