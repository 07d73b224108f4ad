"""A classifier on a pretrained BERT encoder: the fine-tuning end of the text presets."""

import json
import os

import keras
import keras_hub

from ssl_zoo.models import preset_io
from ssl_zoo.models.classifier import Classifier
from ssl_zoo.models.classifier_inputs import check_classifier_args
from ssl_zoo.models.text_classifier.text_classifier_preprocessor import TextClassifierPreprocessor
from ssl_zoo.models.text_inputs import prepare_texts


@keras.saving.register_keras_serializable(package="ssl_zoo")
class TextClassifier(Classifier):
    """BERT encoder, mean over the text's tokens, dropout and `num_classes` logits.

    Load it from a `MaskedLM` preset: the encoder comes with its pretrained weights, the
    preprocessor with the preset's WordPiece vocabulary and the encoder's sequence length,
    and the head starts fresh. The pooled representation is the one `MaskedLM.embed` gives
    (the mean of the encoder outputs over non-padding tokens), not BERT's `[CLS]` pooler,
    which masked-language-model pretraining leaves untrained. `fit(texts, labels)` takes raw
    strings; `predict` returns logits.

    Full fine-tuning trains everything; for a frozen encoder call
    `classifier.set_backbone_trainable(False)` before `compile`. `load_weights=False` gives
    the same architecture from scratch.

    Args:
        backbone: `keras_hub.models.BertBackbone`.
        num_classes: int >= 2.
        preprocessor: `TextClassifierPreprocessor`.
        dropout: float in [0, 1). Dropout before the dense layer.

    Example:
    ```python
    (x, y), (x_test, y_test), names = ssl_zoo.data.load_texts("wordnet")
    classifier = ssl_zoo.models.TextClassifier.from_preset(
        "mlm_bert_tiny_wordnet", num_classes=len(names)
    )
    classifier.fit(x[:10000], y[:10000], batch_size=64, epochs=3)
    ```
    """

    backbone_cls = keras_hub.models.BertBackbone
    preprocessor_cls = TextClassifierPreprocessor

    def __init__(self, backbone, num_classes, preprocessor=None, dropout=0.1, **kwargs):
        check_classifier_args(num_classes, dropout)
        if preprocessor is None:
            raise ValueError(
                "TextClassifier needs a preprocessor (a TextClassifierPreprocessor with the "
                "vocabulary the backbone was trained on). Load it with "
                "TextClassifier.from_preset(...), which brings the preset's."
            )
        if preprocessor.sequence_length > backbone.max_sequence_length:
            raise ValueError(
                f"The preprocessor packs {preprocessor.sequence_length} tokens but the "
                f"backbone takes at most {backbone.max_sequence_length}. Pass "
                f"sequence_length <= {backbone.max_sequence_length}."
            )
        # === Layers ===
        self.backbone = backbone
        self.set_backbone_trainable(backbone.trainable)
        self.preprocessor = preprocessor
        self.pooling = keras.layers.GlobalAveragePooling1D(name="features")
        self.output_dropout = keras.layers.Dropout(dropout, name="output_dropout")
        self.output_dense = keras.layers.Dense(num_classes, name="logits")

        # === Functional Model ===
        inputs = backbone.input
        sequence = backbone(inputs)["sequence_output"]  # (B, T, hidden_dim)
        features = self.pooling(sequence, mask=inputs["padding_mask"])
        outputs = self.output_dense(self.output_dropout(features))
        super().__init__(inputs=inputs, outputs=outputs, **kwargs)

        # === Config ===
        self.num_classes = num_classes
        self.dropout = dropout

    def set_backbone_trainable(self, trainable):
        super().set_backbone_trainable(trainable)
        # BERT's [CLS] pooler is not used here: keep it out of training (no gradient).
        self.backbone.get_layer("pooled_dense").trainable = False

    @classmethod
    def preset_kwargs(cls, path, kwargs):
        """Bring the preset's tokenizer, packed to its encoder's sequence length."""
        kwargs = super().preset_kwargs(path, kwargs)
        if "preprocessor" in kwargs or preset_io.preset_task_is(path, cls):
            return kwargs
        with open(os.path.join(path, "config.json")) as f:
            sequence_length = json.load(f)["config"]["max_sequence_length"]
        tokenizer = keras_hub.models.BertTokenizer.from_preset(path)
        preprocessor = TextClassifierPreprocessor(tokenizer, sequence_length=sequence_length)
        return {**kwargs, "preprocessor": preprocessor}

    def prepare_inputs(self, x):
        return prepare_texts(x, self.preprocessor, "x")
