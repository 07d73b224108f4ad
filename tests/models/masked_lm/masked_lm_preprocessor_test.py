import keras
import numpy as np

from ssl_zoo.testing.test_case import TestCase
from ssl_zoo.testing.tiny_text import synthetic_texts
from ssl_zoo.testing.tiny_text import tiny_masked_lm


class MaskedLMPreprocessorTest(TestCase):
    def test_masks_fifteen_percent_with_80_10_10(self):
        keras.utils.set_random_seed(0)
        preprocessor = tiny_masked_lm(sequence_length=24, mask_selection_length=24).preprocessor
        texts, _ = synthetic_texts(2000)
        x, y, weight = (keras.tree.map_structure(keras.ops.convert_to_numpy, t) for t in preprocessor(texts))
        original = preprocessor.pack(texts)["token_ids"]
        # Special tokens are never chosen; the sentences fit in 24 tokens, so none is cut.
        selectable = (original > 4).sum()
        chosen = weight.astype(bool)
        positions = x["mask_positions"][chosen]
        rows = np.nonzero(chosen)[0]
        self.assertAllClose(chosen.sum() / selectable, 0.15, atol=0.01)
        np.testing.assert_array_equal(original[rows, positions], y[chosen])
        replaced = x["token_ids"][rows, positions]
        mask_id = preprocessor.tokenizer.mask_token_id
        self.assertAllClose(np.mean(replaced == mask_id), 0.8, atol=0.02)
        self.assertAllClose(np.mean(replaced == y[chosen]), 0.1, atol=0.02)
        # Tokens that were not chosen are untouched.
        unchosen = np.ones_like(original, dtype=bool)
        unchosen[rows, positions] = False
        np.testing.assert_array_equal(x["token_ids"][unchosen], original[unchosen])
        np.testing.assert_array_equal(x["padding_mask"], original != 0)

    def test_pack_pads_and_truncates_without_masking(self):
        preprocessor = tiny_masked_lm(sequence_length=5).preprocessor
        packed = preprocessor.pack(["the cat", "the cat runs near the dog"])
        tokens = preprocessor.tokenizer.token_to_id
        np.testing.assert_array_equal(
            packed["token_ids"],
            [[1, tokens("the"), tokens("cat"), 2, 0], [1, tokens("the"), tokens("cat"), tokens("runs"), 2]],
        )
        np.testing.assert_array_equal(packed["padding_mask"].sum(axis=1), [4, 5])

    def test_numpy_int_lengths_are_ints(self):
        preprocessor = tiny_masked_lm(sequence_length=np.int64(6), mask_selection_length=np.int32(2)).preprocessor
        self.assertEqual(preprocessor.pack(["the cat"])["token_ids"].shape, (1, 6))
        x, _, _ = preprocessor(["the cat runs near the dog"])
        self.assertEqual(tuple(x["mask_positions"].shape), (1, 2))

    def test_bad_arguments(self):
        for kwargs, message in (
            ({"sequence_length": 2}, "sequence_length=2"),
            ({"mask_selection_length": 0}, "mask_selection_length=0"),
        ):
            with self.assertRaisesRegex(ValueError, message):
                tiny_masked_lm(**kwargs)
