import keras
import numpy as np

from ssl_zoo import models
from ssl_zoo.models import input_channels
from ssl_zoo.testing.test_case import TestCase
from ssl_zoo.testing.tiny import tiny_backbone


def _saved_simclr(test, channels):
    keras.utils.set_random_seed(3)
    task = models.SimCLR(tiny_backbone((16, 16, channels)), projection_dim=4, projection_hidden_dim=8, seed=1)
    rng = np.random.default_rng(0)
    # Moving statistics away from (0, 1), so inference uses trained-looking BatchNorm.
    for variable in task.backbone.non_trainable_weights:
        low, high = (-0.05, 0.05) if "mean" in variable.path else (0.5, 1.5)
        variable.assign(rng.uniform(low, high, variable.shape).astype("float32"))
    return test.save_preset(task)


def _gray_images(n=3, size=16, seed=0):
    return np.random.default_rng(seed).integers(0, 256, (n, size, size, 1)).astype("float32")


class AdaptInputKernelTest(TestCase):
    def test_against_the_definitions(self):
        kernel = np.random.default_rng(0).normal(size=(3, 3, 3, 5))
        gray = kernel[:, :, :1]
        np.testing.assert_allclose(input_channels.adapt_input_kernel(gray, 3), np.concatenate([gray / 3] * 3, axis=2))
        np.testing.assert_allclose(input_channels.adapt_input_kernel(kernel, 1), kernel.sum(axis=2, keepdims=True))
        np.testing.assert_allclose(
            input_channels.adapt_input_kernel(kernel, 4), np.concatenate([kernel, kernel[:, :, :1]], axis=2) * 0.75
        )
        self.assertIs(input_channels.adapt_input_kernel(kernel, 3), kernel)


class PresetOnOtherChannelsTest(TestCase):
    def test_gray_preset_on_rgb_images_gives_the_gray_features(self):
        preset = _saved_simclr(self, channels=1)
        gray = _gray_images()
        rgb = np.repeat(gray, 3, axis=-1)
        original = models.SimCLR.from_preset(preset)
        adapted = models.SimCLR.from_preset(preset, image_shape=(16, 16, 3))
        self.assertEqual(tuple(adapted.backbone.input_shape), (None, 16, 16, 3))
        expected = keras.ops.convert_to_numpy(original.embed(gray))
        self.assertAllClose(adapted.embed(rgb), expected, atol=1e-5, rtol=1e-5)
        # Not the same as running the gray kernel on each channel and summing (3 times larger).
        self.assertGreater(np.abs(expected).max(), 1e-3)

    def test_image_classifier_at_another_size_and_channels(self):
        preset = _saved_simclr(self, channels=1)
        gray = _gray_images(size=24, seed=1)
        original = models.ImageClassifier.from_preset(preset, num_classes=3, image_shape=(24, 24, 1))
        adapted = models.ImageClassifier.from_preset(preset, num_classes=3, image_shape=(24, 24, 3))
        self.assertAllClose(
            adapted.backbone(np.repeat(gray, 3, axis=-1) / 255), original.backbone(gray / 255), atol=1e-5, rtol=1e-5
        )
        self.assertEqual(adapted.predict(np.repeat(gray, 3, axis=-1), verbose=0).shape, (3, 3))

    def test_rgb_preset_on_gray_images_gives_the_rgb_features_of_gray_pixels(self):
        preset = _saved_simclr(self, channels=3)
        gray = _gray_images(seed=2)
        original = models.SimCLR.from_preset(preset)
        adapted = models.SimCLR.from_preset(preset, image_shape=(16, 16, 1))
        self.assertAllClose(adapted.embed(gray), original.embed(np.repeat(gray, 3, axis=-1)), atol=1e-5, rtol=1e-5)

    def test_fine_tuned_classifier_keeps_its_head(self):
        preset = _saved_simclr(self, channels=1)
        classifier = models.ImageClassifier.from_preset(preset, num_classes=3)
        classifier_preset = self.save_preset(classifier, "classifier")
        gray = _gray_images(seed=4)
        adapted = models.ImageClassifier.from_preset(classifier_preset, image_shape=(16, 16, 3))
        self.assertAllClose(
            adapted.predict(np.repeat(gray, 3, axis=-1), verbose=0), classifier.predict(gray, verbose=0),
            atol=1e-5, rtol=1e-5,
        )
