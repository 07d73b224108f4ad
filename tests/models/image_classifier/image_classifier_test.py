import numpy as np
from absl.testing import parameterized

from ssl_zoo import models
from ssl_zoo.testing.test_case import TestCase
from ssl_zoo.testing.tiny import random_images
from ssl_zoo.testing.tiny import tiny_backbone
from ssl_zoo.testing.tiny import tiny_stage_features
from ssl_zoo.testing.tiny_text import tiny_masked_lm


class ImageClassifierTest(TestCase):
    def save_simclr(self):
        simclr = models.SimCLR(tiny_backbone(), projection_dim=4, projection_hidden_dim=8, seed=1)
        return simclr, self.save_preset(simclr)

    @parameterized.parameters(1, 3)
    def test_from_preset_keeps_the_pretrained_backbone_under_a_new_head(self, feature_grid):
        simclr, path = self.save_simclr()
        classifier = models.ImageClassifier.from_preset(path, num_classes=3, feature_grid=feature_grid)
        for saved, loaded in zip(simclr.backbone.weights, classifier.backbone.weights):
            np.testing.assert_array_equal(np.asarray(saved), np.asarray(loaded))
        images = random_images(6)
        kernel, bias = classifier.get_layer("logits").get_weights()
        self.assertEqual(kernel.shape, (feature_grid**2 * (4 + 8), 3))
        expected = tiny_stage_features(simclr.backbone, images, feature_grid) @ kernel + bias
        self.assertAllClose(classifier.predict(images, verbose=0), expected, atol=1e-4)

    def test_frozen_backbone_trains_the_head_alone(self):
        classifier = models.ImageClassifier(tiny_backbone(), num_classes=2)
        classifier.backbone.trainable = False
        classifier.compile()
        before = [np.asarray(w) for w in classifier.backbone.weights]
        classifier.fit(random_images(8), np.arange(8) % 2, batch_size=4, epochs=1, verbose=0)
        for old, new in zip(before, classifier.backbone.weights):
            np.testing.assert_array_equal(old, np.asarray(new))
        self.assertEqual(len(classifier.trainable_weights), 2)  # the logits' kernel and bias

    def test_load_weights_false_starts_from_scratch(self):
        simclr, path = self.save_simclr()
        scratch = models.ImageClassifier.from_preset(path, num_classes=3, load_weights=False)
        differs = [
            not np.array_equal(np.asarray(a), np.asarray(b))
            for a, b in zip(simclr.backbone.trainable_weights, scratch.backbone.trainable_weights)
        ]
        self.assertTrue(any(differs))

    def test_fits_labels_that_pixels_separate(self):
        rng = np.random.default_rng(0)
        labels = np.arange(64) % 2
        # Class 0 is dark, class 1 bright: a classifier that learns at all separates them.
        images = np.where(labels[:, None, None] == 1, rng.integers(180, 256, (64, 16, 16)),
                          rng.integers(0, 76, (64, 16, 16))).astype("uint8")
        classifier = models.ImageClassifier(tiny_backbone(), num_classes=2)
        classifier.compile()
        history = classifier.fit(images, labels, batch_size=16, epochs=15, verbose=0)
        self.assertEqual(history.history["accuracy"][-1], 1.0)

    def test_a_list_of_images_is_their_array(self):
        classifier = models.ImageClassifier(tiny_backbone(), num_classes=3)
        classifier.compile()
        images = random_images(5)
        expected = classifier.predict(images, verbose=0)
        self.assertAllClose(classifier.predict(list(images), verbose=0), expected, atol=1e-6)
        loss, _ = classifier.evaluate(tuple(images), [0, 1, 2, 0, 1], verbose=0)
        self.assertAllClose(loss, classifier.evaluate(images, [0, 1, 2, 0, 1], verbose=0)[0], atol=1e-6)

    def test_float_images_in_0_1_are_refused_by_fit(self):
        classifier = models.ImageClassifier(tiny_backbone(), num_classes=3)
        classifier.compile()
        scaled = random_images(3).astype("float32") / 255.0
        with self.assertRaisesRegex(ValueError, r"ImageClassifier expects pixels in \[0, 255\] .*: pass x \* 255"):
            classifier.fit(scaled, [0, 1, 2], verbose=0)
        classifier.fit(list(scaled * 255), [0, 1, 2], verbose=0)

    def test_saved_classifier_loads_whole(self):
        classifier = models.ImageClassifier(tiny_backbone(), num_classes=4, dropout=0.2, feature_grid=2)
        restored = models.ImageClassifier.from_preset(self.save_preset(classifier))
        self.assertEqual((restored.num_classes, restored.dropout, restored.feature_grid), (4, 0.2, 2))
        images = random_images(5)
        self.assertAllClose(restored.predict(images, verbose=0), classifier.predict(images, verbose=0))

    def test_bad_arguments_and_labels_get_clear_errors(self):
        _, path = self.save_simclr()
        with self.assertRaisesRegex(ValueError, "num_classes must be an int >= 2. Received: num_classes=1"):
            models.ImageClassifier(tiny_backbone(), num_classes=1)
        with self.assertRaisesRegex(ValueError, r"GridAveragePooling2D\(9\) needs a feature map .* H and W >= 9"):
            models.ImageClassifier(tiny_backbone(), num_classes=3, feature_grid=9)
        with self.assertRaisesRegex(ValueError, "needs the number of classes: pass num_classes"):
            models.ImageClassifier.from_preset(path)
        classifier = models.ImageClassifier(tiny_backbone(), num_classes=3)
        classifier.compile()
        images = random_images(8)
        with self.assertRaisesRegex(ValueError, "y has 7 labels but x has 8 examples"):
            classifier.fit(images, np.zeros(7, "int32"))
        with self.assertRaisesRegex(ValueError, r"class ids in \[0, 2\] for num_classes=3. Received ids from 0 to 3"):
            classifier.fit(images, np.arange(8) % 4)
        with self.assertRaisesRegex(ValueError, "fractions, NaN or inf"):
            classifier.fit(images, np.full(8, 0.5))

    def test_text_preset_is_refused(self):
        path = self.save_preset(tiny_masked_lm())
        with self.assertRaisesRegex(ValueError, "holds a BertBackbone backbone but ImageClassifier builds on a SmallResNetBackbone"):
            models.ImageClassifier.from_preset(path, num_classes=3)
