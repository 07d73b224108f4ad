import numpy as np

from ssl_zoo import models
from ssl_zoo.testing.test_case import TestCase
from ssl_zoo.testing.tiny import tiny_backbone
from ssl_zoo.testing.tiny_text import synthetic_texts
from ssl_zoo.testing.tiny_text import tiny_masked_lm


class TextClassifierTest(TestCase):
    def save_masked_lm(self, **kwargs):
        masked_lm = tiny_masked_lm(**kwargs)
        return masked_lm, self.save_preset(masked_lm)

    def test_from_preset_pools_like_embed_under_a_new_head(self):
        masked_lm, path = self.save_masked_lm()
        classifier = models.TextClassifier.from_preset(path, num_classes=4)
        texts, _ = synthetic_texts(6)
        kernel, bias = classifier.get_layer("logits").get_weights()
        expected = np.asarray(masked_lm.embed(texts), dtype=np.float64) @ kernel + bias
        self.assertAllClose(classifier.predict(texts, verbose=0), expected, atol=1e-4)
        self.assertEqual(
            classifier.preprocessor.tokenizer.get_vocabulary(),
            masked_lm.preprocessor.tokenizer.get_vocabulary(),
        )

    def test_packs_to_the_encoders_sequence_length(self):
        _, path = self.save_masked_lm(sequence_length=12, max_sequence_length=20)
        classifier = models.TextClassifier.from_preset(path, num_classes=2)
        self.assertEqual(classifier.preprocessor.sequence_length, 20)

    def test_a_bare_string_is_one_text(self):
        _, path = self.save_masked_lm()
        classifier = models.TextClassifier.from_preset(path, num_classes=4)
        classifier.compile()
        text = synthetic_texts(1)[0][0]
        logits = classifier.predict(text, verbose=0)
        self.assertEqual(logits.shape, (1, 4))  # one row, not one per character
        self.assertAllClose(logits, classifier.predict([text], verbose=0), atol=1e-6)
        loss, _ = classifier.evaluate(text, [1], verbose=0)
        expected = -np.log(np.exp(logits[0, 1]) / np.exp(logits[0]).sum())
        self.assertAllClose(loss, expected, atol=1e-4)

    def test_no_texts_is_refused_by_name(self):
        _, path = self.save_masked_lm()
        classifier = models.TextClassifier.from_preset(path, num_classes=4)
        classifier.compile()
        with self.assertRaisesRegex(ValueError, "x is empty: fit and evaluate need at least one example"):
            classifier.fit([], [])
        with self.assertRaisesRegex(ValueError, "y must be an array of class ids, one per example. Received a scalar: y=1"):
            classifier.fit(synthetic_texts(1)[0], 1)

    def test_fits_and_saved_classifier_loads_whole(self):
        _, path = self.save_masked_lm()
        classifier = models.TextClassifier.from_preset(path, num_classes=4, dropout=0.0)
        classifier.compile()
        texts, labels = synthetic_texts(32)
        history = classifier.fit(texts, labels, batch_size=8, epochs=1, verbose=0)
        self.assertTrue(np.isfinite(history.history["loss"][-1]))
        restored = models.TextClassifier.from_preset(self.save_preset(classifier))
        self.assertAllClose(restored.predict(texts[:5], verbose=0), classifier.predict(texts[:5], verbose=0), atol=1e-6)

    def test_head_alone_then_everything_but_the_unused_pooler_trains(self):
        _, path = self.save_masked_lm()
        classifier = models.TextClassifier.from_preset(path, num_classes=4)
        pooler = {id(w) for w in classifier.backbone.get_layer("pooled_dense").weights}
        everything_else = [w for w in classifier.weights if id(w) not in pooler]
        self.assertEqual(len(pooler), 2)
        classifier.set_backbone_trainable(False)
        self.assertEqual([w.path for w in classifier.trainable_weights], ["logits/kernel", "logits/bias"])
        classifier.set_backbone_trainable(True)
        self.assertEqual({id(w) for w in classifier.trainable_weights}, {id(w) for w in everything_else})

    def test_bad_inputs_get_clear_errors(self):
        _, path = self.save_masked_lm()
        with self.assertRaisesRegex(ValueError, "needs the number of classes: pass num_classes"):
            models.TextClassifier.from_preset(path)
        classifier = models.TextClassifier.from_preset(path, num_classes=4)
        classifier.compile()
        texts, labels = synthetic_texts(8)
        with self.assertRaisesRegex(ValueError, "y has 7 labels but x has 8 examples"):
            classifier.fit(texts, labels[:7])
        with self.assertRaisesRegex(ValueError, "flat sequence of str"):
            classifier.fit([1, 2], [0, 1])
        image_preset = self.save_preset(models.SimCLR(tiny_backbone(), projection_dim=4, projection_hidden_dim=8))
        with self.assertRaisesRegex(ValueError, "holds a SmallResNetBackbone backbone but TextClassifier builds on a BertBackbone"):
            models.TextClassifier.from_preset(image_preset, num_classes=3)
