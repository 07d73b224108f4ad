import os

import keras
import numpy as np

from ssl_zoo import evaluation
from ssl_zoo import models
from ssl_zoo.testing.test_case import TestCase
from ssl_zoo.testing.tiny import tiny_backbone
from ssl_zoo.testing.tiny_text import synthetic_texts
from ssl_zoo.testing.tiny_text import tiny_masked_lm


def bright_and_dark_images(n, seed=0):
    """Class 1 bright, class 0 dark: separable by any classifier that learns."""
    rng = np.random.default_rng(seed)
    labels = np.arange(n) % 2
    images = np.where(labels[:, None, None] == 1, rng.integers(180, 256, (n, 16, 16)),
                      rng.integers(0, 76, (n, 16, 16))).astype("uint8")
    return images, labels


class FineTuneTest(TestCase):
    def test_image_preset_fine_tunes_to_separate_easy_classes(self):
        path = os.path.join(self.get_temp_dir(), "simclr")
        models.SimCLR(tiny_backbone(), projection_dim=4, projection_hidden_dim=8).save_to_preset(path)
        images, labels = bright_and_dark_images(96)
        accuracy = evaluation.fine_tune(path, images[:64], labels[:64], images[64:], labels[64:], 1.0,
                                        batch_size=16, min_steps=150)
        self.assertEqual(accuracy, 1.0)

    def test_text_preset_fine_tunes_through_a_text_classifier(self):
        path = os.path.join(self.get_temp_dir(), "mlm")
        tiny_masked_lm().save_to_preset(path)
        texts, labels = synthetic_texts(64)
        accuracy = evaluation.fine_tune(path, texts[:48], labels[:48], texts[48:], labels[48:], 0.5,
                                        batch_size=8, min_steps=5, min_epochs=1)
        self.assertGreaterEqual(accuracy, 0.0)
        self.assertLessEqual(accuracy, 1.0)
        self.assertEqual(round(accuracy * 16), accuracy * 16)  # a share of the 16 test texts

    def test_learning_rate_zero_leaves_the_fresh_classifier(self):
        # LayerNorm only (no moving statistics) and AdamW's decay scales with the learning
        # rate: at 0 the test accuracy is that of the classifier as `from_preset` built it.
        path = os.path.join(self.get_temp_dir(), "mlm")
        tiny_masked_lm().save_to_preset(path)
        texts, labels = synthetic_texts(64)
        keras.utils.set_random_seed(3)
        fresh = models.TextClassifier.from_preset(path, num_classes=4)
        expected = np.mean(np.argmax(fresh.predict(texts[48:], verbose=0), axis=-1) == labels[48:])
        accuracy = evaluation.fine_tune(path, texts[:48], labels[:48], texts[48:], labels[48:], 1.0,
                                        num_classes=4, batch_size=8, min_steps=5, min_epochs=1,
                                        learning_rate=0.0, seed=3)
        self.assertAlmostEqual(accuracy, expected)

    def test_warmup_cosine_rises_linearly_then_falls_along_a_cosine(self):
        # float64 oracle: 0 -> peak linearly over the first 10 of 100 steps, then
        # peak * (1 + cos(pi * t / 90)) / 2 for t = step - 10 steps into the decay.
        peak, total, warmup = 3e-4, 100, 10
        schedule = evaluation.warmup_cosine(peak, total)
        steps = np.array([0, 1, 5, 10, 11, 40, 55, 99, 100])
        expected = np.where(
            steps < warmup, peak * steps / warmup,
            peak * (1 + np.cos(np.pi * (steps - warmup) / (total - warmup))) / 2,
        )
        actual = np.array([float(keras.ops.convert_to_numpy(schedule(step))) for step in steps])
        self.assertAllClose(actual, expected, atol=1e-9, rtol=1e-5)
        self.assertEqual(actual[-1], 0.0)

    def test_bad_fraction_is_refused(self):
        images, labels = bright_and_dark_images(8)
        with self.assertRaisesRegex(ValueError, r"fraction must be in \(0, 1\]. Received: fraction=0"):
            evaluation.fine_tune("unused", images, labels, images, labels, 0)

    def test_labels_are_checked_before_anything_is_built(self):
        images, labels = bright_and_dark_images(8)
        cases = [
            ((images, 1, images, labels), "Received a scalar: y_train=1"),
            ((images, labels, images, 0), "Received a scalar: y_test=0"),
            ((images, labels[:7], images, labels), "x_train has 8 examples but its labels 7"),
            ((images, np.zeros(8), images, labels), r"at least 2 classes. Received: y_train of the one class \[0\]"),
            ((images[:4], [0, 0, 1, 1], images, np.arange(8) % 4), r"y_test hold the classes \[2, 3\]"),
        ]
        for args, message in cases:
            with self.assertRaisesRegex(ValueError, message):
                evaluation.fine_tune("unused", *args)
