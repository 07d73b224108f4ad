import keras_hub
import numpy as np

from ssl_zoo import data
from ssl_zoo.testing.test_case import TestCase

# Lowercased, accents stripped, whitespace dropped: , . a c d e f h l m n o r s t w.
TEXTS = ["Hello, world", "the cat sat on the mat.", "Café olé"]
ALPHABET = sorted(",.acdefhlmnorstw")


class ComputeVocabularyTest(TestCase):
    def test_too_small_for_the_alphabet_names_the_smallest_size(self):
        # 5 special tokens + 16 characters, each alone and as a "##" continuation: 37.
        for size in (6, 36):
            with self.assertRaisesRegex(
                ValueError,
                "vocabulary_size is too small for this corpus: its 5 special tokens and 16 distinct "
                f"characters, each alone and as a '##' continuation, need vocabulary_size >= 37; "
                rf".*Received: vocabulary_size={size}",
            ):
                data.compute_vocabulary(TEXTS, vocabulary_size=size)

    def test_the_smallest_size_spells_every_word(self):
        vocabulary = data.compute_vocabulary(TEXTS, vocabulary_size=np.int64(37))
        self.assertEqual(vocabulary, data.BERT_SPECIAL_TOKENS + ALPHABET + ["##" + c for c in ALPHABET])
        tokenizer = keras_hub.models.BertTokenizer(vocabulary, lowercase=True)
        for text in TEXTS[:2]:  # "café" keeps its accent in this tokenizer: not checked
            self.assertNotIn(vocabulary.index("[UNK]"), np.asarray(tokenizer(text)).tolist(), text)

    def test_without_lowercase_capitals_are_characters_of_their_own(self):
        with self.assertRaisesRegex(ValueError, r"18 distinct characters, .* >= 41"):  # adds C and H
            data.compute_vocabulary(TEXTS, vocabulary_size=40, lowercase=False)
