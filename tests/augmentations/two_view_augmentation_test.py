import numpy as np

from ssl_zoo import augmentations
from ssl_zoo.testing.test_case import TestCase


def symmetric_images(n=4, side=8, seed=0):
    """Images in [0, 1] that a horizontal flip leaves unchanged."""
    images = np.random.default_rng(seed).random((n, side, side, 1)).astype("float32")
    return (images + images[:, :, ::-1]) / 2


def views(images, **kwargs):
    settings = dict(crop_scale=(1.0, 1.0), jitter_strength=0.0, seed=0)  # no crop, no jitter
    layer = augmentations.TwoViewAugmentation(images.shape[1], images.shape[2], **{**settings, **kwargs})
    pair = np.asarray(layer(images, training=True))
    return pair[: len(images)], pair[len(images):]


class SolarizeTest(TestCase):
    def test_pixels_at_or_above_one_half_are_inverted(self):
        x = np.array([0.0, 0.2, 0.4999, 0.5, 0.7, 1.0], "float32").reshape(1, 2, 3, 1)
        self.assertAllClose(augmentations.solarize(x), np.where(x < 0.5, x, 1.0 - x), atol=0)


class TwoViewAugmentationTest(TestCase):
    def test_each_view_gets_its_own_solarization_probability(self):
        images = symmetric_images()
        view_a, view_b = views(images, blur_probabilities=(0.0, 0.0), solarize_probabilities=(0.0, 1.0))
        self.assertAllClose(view_a, images, atol=1e-6)
        self.assertAllClose(view_b, np.where(images < 0.5, images, 1.0 - images), atol=1e-6)

    def test_each_view_gets_its_own_blur_probability(self):
        images = symmetric_images()
        view_a, view_b = views(images, blur_probabilities=(1.0, 0.0), solarize_probabilities=(0.0, 0.0))
        self.assertGreater(np.max(np.abs(view_a - images)), 0.01)  # every view a is blurred
        self.assertAllClose(view_a.mean(axis=(1, 2, 3)), images.mean(axis=(1, 2, 3)), atol=0.05)
        self.assertAllClose(view_b, images, atol=1e-6)

    def test_defaults_are_byol_s_and_inference_is_the_identity(self):
        layer = augmentations.TwoViewAugmentation(8, 8)
        self.assertEqual((layer.blur_probabilities, layer.solarize_probabilities), ((1.0, 0.1), (0.0, 0.2)))
        images = symmetric_images()
        self.assertAllClose(layer(images, training=False), images, atol=0)
        config = layer.get_config()
        self.assertEqual(augmentations.TwoViewAugmentation.from_config(config).get_config(), config)

    def test_bad_probabilities(self):
        for value in ((1.0,), (0.5, -0.1), 0.5):
            with self.assertRaisesRegex(ValueError, rf"blur_probabilities must be a pair of probabilities in \[0, 1\], one per view. Received: blur_probabilities={value!r}".replace("(", r"\(").replace(")", r"\)")):
                augmentations.TwoViewAugmentation(8, 8, blur_probabilities=value)
