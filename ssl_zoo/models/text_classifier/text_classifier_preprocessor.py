"""Tokenize and pack texts (and pass labels through) for the text classifier."""

import keras
import keras_hub


@keras.saving.register_keras_serializable(package="ssl_zoo")
class TextClassifierPreprocessor(keras_hub.models.BertTextClassifierPreprocessor):
    """keras-hub's BERT classifier preprocessor, with `pack` for checks and features.

    Each text becomes `[CLS] tokens [SEP] [PAD]...` of `sequence_length` tokens
    (`token_ids`, `segment_ids`, `padding_mask`); labels pass through unchanged.

    Args:
        tokenizer: `keras_hub.models.BertTokenizer`, e.g. the one of a `MaskedLM` preset.
        sequence_length: int. Tokens per packed text, at most the backbone's
            `max_sequence_length`.
    """

    def pack(self, texts):
        """Packed texts as a dict of NumPy arrays `(n, sequence_length)`."""
        return {name: keras.ops.convert_to_numpy(value) for name, value in self(list(texts)).items()}
