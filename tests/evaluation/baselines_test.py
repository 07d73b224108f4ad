import numpy as np

from ssl_zoo import evaluation
from ssl_zoo.testing.test_case import TestCase


class InputBaselineTest(TestCase):
    def test_tfidf_separates_texts_whose_words_name_the_class(self):
        words = ["apple pear plum", "car bus train", "red blue green"]
        rng = np.random.default_rng(0)
        labels = np.arange(60) % 3
        texts = [" ".join(rng.permutation(words[label].split())) + " the a" for label in labels]
        accuracy = evaluation.input_baseline(
            texts[:45], labels[:45], texts[45:], labels[45:], 1.0, modality="texts"
        )
        self.assertEqual(accuracy, 1.0)

    def test_pixels_are_scaled_flattened_and_probed(self):
        rng = np.random.default_rng(0)
        images = rng.integers(0, 256, (40, 4, 4)).astype("uint8")
        labels = (images[:, 0, 0] > 127).astype(int)  # one pixel decides
        accuracy = evaluation.input_baseline(images[:30], labels[:30], images[30:], labels[30:])
        expected = evaluation.linear_probe(
            images[:30].reshape(30, -1) / 255.0, labels[:30], images[30:].reshape(10, -1) / 255.0, labels[30:]
        )
        self.assertEqual(accuracy, expected)

    def test_one_class_is_refused_for_texts_and_pixels(self):
        for x, modality in ((["a cat", "a dog"], "texts"), (np.zeros((2, 4, 4), "uint8"), "images")):
            with self.assertRaisesRegex(ValueError, r"at least 2 classes. Received: y_train of the one class \[1\]"):
                evaluation.input_baseline(x, [1, 1], x, [1, 1], modality=modality)
