"""MaskedLM: BERT's masked-language-model pretraining on raw texts."""

import keras
import keras_hub
import numpy as np

from ssl_zoo.models.masked_lm.masked_lm_preprocessor import MaskedLMPreprocessor
from ssl_zoo.models.pretext_task import PretextTask
from ssl_zoo.models.text_inputs import prepare_texts


@keras.saving.register_keras_serializable(package="ssl_zoo")
class MaskedLM(PretextTask):
    """Masked language model: a BERT encoder learns to predict masked word pieces.

    Devlin et al., "BERT: Pre-training of Deep Bidirectional Transformers for Language
    Understanding" (NAACL 2019), the MLM objective alone (no next-sentence prediction, as
    in RoBERTa), built like keras-hub's `BertMaskedLM` with ssl_zoo's checks and presets: the
    `preprocessor` masks 15% of the word pieces of each text (80% `[MASK]`, 10% random,
    10% unchanged) anew at every step, the encoder (`keras_hub.models.BertBackbone`) reads
    the sequence, and the output head (`keras_hub.layers.MaskedLMHead`) scores the masked
    positions against the token embedding matrix itself (tied weights, Press & Wolf 2017).
    The loss is cross-entropy over the masked positions; `masked_accuracy` is the share of
    them predicted right. `fit` and `evaluate` take raw texts, no labels (arrays are batched
    in the order given: shuffle them first, as `ssl_zoo.data.load_texts` does); the
    vocabulary travels in the preset (`assets/tokenizer/vocabulary.txt`).

    The representation to reuse is `embed(texts)`: the encoder's outputs averaged over the
    non-padding tokens (`[CLS]` and `[SEP]` included), `(n, hidden_dim)`.

    Args:
        backbone: `keras_hub.models.BertBackbone`, e.g. from
            `ssl_zoo.backbones.build_text_backbone`.
        preprocessor: `ssl_zoo.models.MaskedLMPreprocessor` whose tokenizer has
            `backbone.vocabulary_size` tokens and whose `sequence_length` is at most
            `backbone.max_sequence_length`.

    Example:
    ```python
    (texts, _), (test_texts, _), _ = ssl_zoo.data.load_texts("wordnet")
    vocabulary = ssl_zoo.data.compute_vocabulary(texts, vocabulary_size=8000)
    tokenizer = keras_hub.models.BertTokenizer(vocabulary, lowercase=True)
    preprocessor = ssl_zoo.models.MaskedLMPreprocessor(tokenizer, sequence_length=64)
    backbone = ssl_zoo.backbones.build_text_backbone("bert_tiny", len(vocabulary), 64)
    model = ssl_zoo.models.MaskedLM(backbone, preprocessor)
    model.fit(texts, batch_size=128, epochs=1, validation_data=test_texts)
    features = model.embed(test_texts)  # (10000, 128)
    model.save_to_preset("mlm_wordnet")
    ```
    """

    backbone_cls = keras_hub.models.BertBackbone
    preprocessor_cls = MaskedLMPreprocessor

    def __init__(self, backbone, preprocessor=None, **kwargs):
        if not isinstance(backbone, keras_hub.models.BertBackbone):
            raise ValueError(
                "backbone must be a keras_hub.models.BertBackbone (see "
                f"ssl_zoo.backbones.build_text_backbone). Received: {type(backbone).__name__}"
            )
        if not isinstance(preprocessor, keras_hub.models.BertMaskedLMPreprocessor):
            raise ValueError(
                "MaskedLM learns from raw texts and needs a preprocessor: pass an "
                f"ssl_zoo.models.MaskedLMPreprocessor. Received: preprocessor={preprocessor!r}"
            )
        if preprocessor.sequence_length > backbone.max_sequence_length:
            raise ValueError(
                f"The preprocessor packs {preprocessor.sequence_length} tokens but the backbone "
                f"reads at most {backbone.max_sequence_length}. Received: "
                f"sequence_length={preprocessor.sequence_length}; use sequence_length <= "
                f"{backbone.max_sequence_length} or a backbone with a larger max_sequence_length."
            )
        # A tokenizer loaded from a preset gets its vocabulary after the task is built.
        tokenizer = preprocessor.tokenizer
        if tokenizer.vocabulary is not None and tokenizer.vocabulary_size() != backbone.vocabulary_size:
            raise ValueError(
                f"The tokenizer has {tokenizer.vocabulary_size()} tokens but the backbone embeds "
                f"{backbone.vocabulary_size}. Build the backbone with "
                f"vocabulary_size={tokenizer.vocabulary_size()}."
            )
        # === Layers ===
        self.backbone = backbone
        self.preprocessor = preprocessor
        self.masked_lm_head = keras_hub.layers.MaskedLMHead(
            vocabulary_size=backbone.vocabulary_size,
            token_embedding=backbone.token_embedding,
            intermediate_activation="gelu",
            kernel_initializer=keras.initializers.TruncatedNormal(stddev=0.02),
            dtype=backbone.dtype_policy,
            name="mlm_head",
        )

        # === Functional Model ===
        inputs = {
            **backbone.input,
            "mask_positions": keras.Input(shape=(None,), dtype="int32", name="mask_positions"),
        }
        sequence = backbone(backbone.input)["sequence_output"]  # (B, T, hidden_dim)
        outputs = self.masked_lm_head(sequence, inputs["mask_positions"])  # (B, M, vocabulary)
        super().__init__(inputs=inputs, outputs=outputs, **kwargs)

    modality = "texts"

    def default_optimizer(self):
        """AdamW, learning rate 5e-4, weight decay 0.01."""
        return keras.optimizers.AdamW(learning_rate=5e-4, weight_decay=0.01)

    def compile(self, optimizer="auto", weighted_metrics="auto", **kwargs):
        """Compile with `default_optimizer()` unless one is given, and masked-token accuracy."""
        if weighted_metrics == "auto":
            weighted_metrics = [keras.metrics.SparseCategoricalAccuracy(name="masked_accuracy")]
        super().compile(optimizer=optimizer, weighted_metrics=weighted_metrics, **kwargs)

    def pretext_loss(self, x, y, y_pred, sample_weight):
        """Sparse cross-entropy on the logits of the masked positions, weighted by the
        preprocessor's `sample_weight` (padding positions count for nothing), summed and
        divided by the number of positions, as Keras' `sum_over_batch_size` reduction."""
        logits = keras.ops.cast(y_pred, "float32")  # (B, M, vocabulary)
        losses = keras.losses.sparse_categorical_crossentropy(y, logits, from_logits=True)  # (B, M)
        if sample_weight is None:
            return keras.ops.mean(losses)
        weighted = losses * keras.ops.cast(sample_weight, "float32")
        return keras.ops.sum(weighted) / keras.ops.cast(keras.ops.size(losses), "float32")

    @classmethod
    def classifier_class(cls):
        from ssl_zoo.models.text_classifier import TextClassifier

        return TextClassifier

    def prepare_inputs(self, x):
        return prepare_texts(x, self.preprocessor, "x")

    def fit(self, x=None, y=None, *args, validation_data=None, **kwargs):
        if y is not None:
            raise ValueError(
                "MaskedLM makes its own targets from the texts: call fit(texts) without "
                "labels. Received labels y."
            )
        validation_data = prepare_texts(validation_data, self.preprocessor, "validation_data")
        # keras-hub batches arrays through tf.data in the order given, which Keras cannot
        # shuffle; the masks are drawn anew every epoch all the same.
        kwargs.setdefault("shuffle", False)
        return super().fit(x, *args, validation_data=validation_data, **kwargs)

    def evaluate(self, x=None, y=None, *args, **kwargs):
        """Loss and masked-token accuracy on held-out texts, masked at random as in training."""
        if y is not None:
            raise ValueError(
                "MaskedLM makes its own targets from the texts: call evaluate(texts) without "
                "labels. Received labels y."
            )
        return super().evaluate(self.prepare_inputs(x), *args, **kwargs)

    def embed(self, texts, batch_size=256, verbose=0):
        """The encoder's representation of each text, averaged over its tokens.

        Args:
            texts: list or array of str, or one str (one text, one row).
            batch_size: int. Texts per forward pass.
            verbose: int. Keras progress bar verbosity.

        Returns:
            float32 array `(n, hidden_dim)`.
        """
        texts = prepare_texts(texts, self.preprocessor, "texts")
        inputs = self.backbone.input
        sequence = self.backbone(inputs)["sequence_output"]  # (B, T, hidden_dim)
        pooled = keras.layers.GlobalAveragePooling1D()(sequence, mask=inputs["padding_mask"])
        encoder = keras.Model(inputs, pooled)
        packed = self.preprocessor.pack(texts)
        return np.asarray(encoder.predict(packed, batch_size=batch_size, verbose=verbose))
