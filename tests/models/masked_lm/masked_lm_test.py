import os

import keras
import numpy as np

from ssl_zoo import models
from ssl_zoo.testing.test_case import TestCase
from ssl_zoo.testing.tiny_text import synthetic_texts
from ssl_zoo.testing.tiny_text import tiny_masked_lm


def gelu(x):
    return 0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x**3)))


def layer_norm(x, gamma, beta, epsilon):
    mean, var = x.mean(-1, keepdims=True), x.var(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + epsilon) * gamma + beta


class MaskedLMTest(TestCase):
    def test_head_scores_against_the_token_embedding(self):
        model = tiny_masked_lm()
        head = model.masked_lm_head
        self.assertIs(head.token_embedding, model.backbone.token_embedding)
        # The head's own weights hold no (hidden, vocabulary) output kernel.
        embedding = {id(w) for w in model.backbone.token_embedding.weights}
        own_shapes = [tuple(w.shape) for w in head.weights if id(w) not in embedding]
        self.assertCountEqual(own_shapes, [(8, 8), (8,), (8,), (8,), (model.backbone.vocabulary_size,)])
        # Logits = LayerNorm(gelu(h W + b)) E^T + bias, with E the backbone's embedding matrix.
        sequence = np.random.default_rng(0).normal(size=(2, 6, 8)).astype("float32")
        positions = np.array([[1, 4], [0, 5]], dtype="int32")
        logits = keras.ops.convert_to_numpy(head(sequence, positions))
        kernel, bias = (keras.ops.convert_to_numpy(w) for w in head._intermediate_dense.weights)
        norm = head._intermediate_layer_norm
        gathered = np.take_along_axis(sequence, positions[..., None], axis=1)
        hidden = layer_norm(gelu(gathered @ kernel + bias), *(keras.ops.convert_to_numpy(w) for w in norm.weights), norm.epsilon)
        embeddings = keras.ops.convert_to_numpy(model.backbone.token_embedding.embeddings)
        expected = hidden @ embeddings.T + keras.ops.convert_to_numpy(head._bias)
        self.assertAllClose(logits, expected, atol=2e-3, rtol=1e-3)

    def test_fit_evaluate_embed_and_preset_round_trip(self):
        keras.utils.set_random_seed(0)
        model = tiny_masked_lm()
        texts, _ = synthetic_texts(64)
        before = keras.ops.convert_to_numpy(model.backbone.token_embedding.embeddings)
        history = model.fit(texts, batch_size=16, epochs=1, verbose=0)
        self.assertTrue(np.isfinite(history.history["loss"][0]))
        self.assertBetween(history.history["masked_accuracy"][0], 0.0, 1.0)
        after = keras.ops.convert_to_numpy(model.backbone.token_embedding.embeddings)
        self.assertFalse(np.array_equal(before, after))
        self.assertIn("masked_accuracy", model.evaluate(texts[:16], verbose=0, return_dict=True))

        features = model.embed(texts[:5])
        self.assertEqual(features.shape, (5, 8))
        # Mean over the non-padding tokens: padding a text further changes nothing.
        packed = model.preprocessor.pack(texts[:1])
        sequence = model.backbone(packed)["sequence_output"]
        mask = packed["padding_mask"][0].astype(bool)
        self.assertAllClose(features[0], keras.ops.convert_to_numpy(sequence)[0][mask].mean(0), atol=1e-5)

        preset = os.path.join(self.get_temp_dir(), "mlm")
        model.save_to_preset(preset)
        self.assertTrue(os.path.isfile(os.path.join(preset, "assets", "tokenizer", "vocabulary.txt")))
        loaded = models.load_task(preset)
        self.assertIsInstance(loaded, models.MaskedLM)
        self.assertEqual(loaded.preprocessor.tokenizer.vocabulary, model.preprocessor.tokenizer.vocabulary)
        self.assertAllClose(loaded.embed(texts[:5]), features, atol=1e-6)

        os.remove(os.path.join(preset, "assets", "tokenizer", "vocabulary.txt"))
        with self.assertRaisesRegex(ValueError, "vocabulary.txt"):
            models.MaskedLM.from_preset(preset)

    def test_a_bare_string_is_one_text(self):
        model = tiny_masked_lm()
        text = synthetic_texts(1)[0][0]
        features = model.embed(text)
        self.assertEqual(features.shape, (1, 8))  # one row, not one per character
        self.assertAllClose(features, model.embed([text]), atol=1e-6)
        self.assertAllClose(model.embed(np.array(text)), features, atol=1e-6)

    def test_bad_input(self):
        model = tiny_masked_lm()
        with self.assertRaisesRegex(ValueError, r"x\[1\] = '  ' tokenizes to no tokens"):
            model.fit(["the cat", "  ", "a dog"], epochs=1, verbose=0)
        with self.assertRaisesRegex(ValueError, r"x\[0\] of type int"):
            model.fit([3, "a"], verbose=0)
        with self.assertRaisesRegex(ValueError, "without labels"):
            model.fit(["the cat"], [1], verbose=0)
        with self.assertRaisesRegex(ValueError, r"texts\[0\] = ''"):
            model.embed([""])
        with self.assertRaisesRegex(ValueError, "sequence_length=32; use sequence_length <= 16"):
            tiny_masked_lm(sequence_length=32, max_sequence_length=16)
        with self.assertRaisesRegex(ValueError, "Build the backbone with vocabulary_size="):
            models.MaskedLM(
                keras_hub_backbone(vocabulary_size=7), model.preprocessor
            )
        with self.assertRaisesRegex(ValueError, "needs a preprocessor"):
            models.MaskedLM(model.backbone)


def keras_hub_backbone(vocabulary_size):
    import keras_hub

    return keras_hub.models.BertBackbone(
        vocabulary_size=vocabulary_size, num_layers=1, num_heads=1, hidden_dim=4,
        intermediate_dim=4, max_sequence_length=16,
    )
