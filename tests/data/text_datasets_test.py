import os
from unittest import mock

import numpy as np

from ssl_zoo import data
from ssl_zoo.data import wordnet
from ssl_zoo.testing.test_case import TestCase


class SyntheticTextsTest(TestCase):
    def test_deterministic_balanced_topics(self):
        texts, labels, names = data.load_synthetic_texts(num_texts=40, num_classes=4, seed=3)
        self.assertEqual(names, ["animals", "food", "weather", "music"])
        self.assertEqual(np.bincount(labels).tolist(), [10, 10, 10, 10])
        self.assertEqual(data.load_synthetic_texts(num_texts=40, num_classes=4, seed=3)[0], texts)
        for text, label in zip(texts, labels):
            nouns, verbs = data.synthetic_texts.SYNTHETIC_TOPICS[names[label]]
            self.assertTrue(any(noun in text.split() for noun in nouns), text)
        with self.assertRaisesRegex(ValueError, "num_classes=7"):
            data.load_synthetic_texts(num_classes=7)


class LoadTextsTest(TestCase):
    def test_synthetic_split(self):
        (x, y), (x_test, y_test), names = data.load_texts("synthetic", test_fraction=0.25)
        self.assertEqual((len(x), len(x_test)), (450, 150))
        self.assertEqual(x.dtype, object)
        self.assertEqual(len(names), 4)
        self.assertEqual(sorted(np.concatenate([x, x_test])), sorted(data.load_synthetic_texts()[0]))

    def test_wordnet_holds_out_ten_thousand(self):
        texts = [f"gloss {i}" for i in range(10_500)]
        fake = (texts, np.arange(10_500, dtype=np.int32) % 45, list(data.WORDNET_LEXNAMES))
        with mock.patch.object(data.text_datasets, "load_wordnet_glosses", return_value=fake):
            (x, y), (x_test, y_test), names = data.load_texts("wordnet", seed=1)
        self.assertEqual((len(x), len(x_test)), (500, 10_000))
        for text, label in zip(x_test, y_test):
            self.assertEqual(int(text.split()[1]) % 45, label)

    def test_unlabeled_folder_and_errors(self):
        root = self.get_temp_dir()
        with open(os.path.join(root, "corpus.txt"), "w") as f:
            f.write("\n".join(f"line {i}" for i in range(10)))
        (x, y), (x_test, y_test), names = data.load_texts(root, test_fraction=0.2, lines=True)
        self.assertEqual((len(x), len(x_test), y, y_test, names), (8, 2, None, None, []))
        with self.assertRaisesRegex(ValueError, "is an image data set"):
            data.load_texts("fashion_mnist")
        with self.assertRaisesRegex(ValueError, "Unknown text data '/no/such'"):
            data.load_texts("/no/such")
        empty = self.get_temp_dir()
        with mock.patch.dict(os.environ, {"SSL_ZOO_DATA": empty, "WNHOME": empty, "KERAS_HOME": empty}), \
                mock.patch.object(wordnet, "DEBIAN_PATH", empty):
            with self.assertRaisesRegex(FileNotFoundError, "wordnet-base"):
                data.load_texts("wordnet")


class ComputeVocabularyTest(TestCase):
    def test_special_tokens_first_then_corpus_words(self):
        texts, _, _ = data.load_synthetic_texts(num_texts=50)
        vocabulary = data.compute_vocabulary(texts, vocabulary_size=500)
        self.assertEqual(vocabulary[:5], ["[PAD]", "[CLS]", "[SEP]", "[UNK]", "[MASK]"])
        self.assertLessEqual(len(vocabulary), 500)
        for word in ("the", "every", "."):
            self.assertIn(word, vocabulary)

    def test_errors(self):
        with self.assertRaisesRegex(ValueError, "vocabulary_size=5"):
            data.compute_vocabulary(["a b"], vocabulary_size=5)
        with self.assertRaisesRegex(ValueError, "no words to learn a vocabulary from"):
            data.compute_vocabulary(["", "  "], vocabulary_size=100)
