"""Tokenize, pack and mask texts for BERT's masked-language-model objective."""

import keras
import keras_hub

from ssl_zoo import arguments


@keras.saving.register_keras_serializable(package="ssl_zoo")
class MaskedLMPreprocessor(keras_hub.models.BertMaskedLMPreprocessor):
    """keras-hub's BERT masked-LM preprocessor, with defaults for short texts.

    Devlin et al., "BERT" (NAACL 2019), Sec. 3.1: "The training data generator chooses 15%
    of the token positions at random for prediction. If the i-th token is chosen, we replace
    it with (1) the [MASK] token 80% of the time (2) a random token 10% of the time (3) the
    unchanged i-th token 10% of the time." Each call tokenizes (WordPiece), packs to
    `[CLS] tokens [SEP] [PAD]...` of `sequence_length` and masks anew
    (`keras_hub.layers.MaskedLMMaskGenerator`; special tokens are never chosen), returning
    `(x, y, sample_weight)`: `x` holds `token_ids`, `segment_ids`, `padding_mask` and
    `mask_positions` `(B, mask_selection_length)`, `y` the original ids at those positions,
    and `sample_weight` 1 for a chosen position, 0 for padding.

    keras-hub's defaults are BERT's (512 tokens, up to 96 predictions); here they suit
    glosses and sentences: 64 tokens and up to 16 predictions, which covers 15% of 64 with
    room to spare and keeps the output head from scoring mostly padding.

    Args:
        tokenizer: `keras_hub.models.BertTokenizer`, e.g. built on a vocabulary from
            `ssl_zoo.data.compute_vocabulary`.
        sequence_length: int >= 3. Tokens per packed text, `[CLS]` and `[SEP]` included.
        mask_selection_rate: float in (0, 1]. Share of tokens chosen for prediction.
        mask_selection_length: int >= 1. Most tokens chosen per text.
        mask_token_rate: float. Share of chosen tokens replaced by `[MASK]`.
        random_token_rate: float. Share of chosen tokens replaced by a random token; the
            rest stay unchanged.
        **kwargs: forwarded to `keras_hub.models.BertMaskedLMPreprocessor` (`truncate`, ...).

    Example:
    ```python
    vocabulary = ssl_zoo.data.compute_vocabulary(texts, vocabulary_size=8000)
    tokenizer = keras_hub.models.BertTokenizer(vocabulary, lowercase=True)
    preprocessor = ssl_zoo.models.MaskedLMPreprocessor(tokenizer, sequence_length=64)
    x, y, sample_weight = preprocessor(["the cat sat on the mat"])
    ```
    """

    def __init__(
        self,
        tokenizer,
        sequence_length=64,
        mask_selection_rate=0.15,
        mask_selection_length=16,
        mask_token_rate=0.8,
        random_token_rate=0.1,
        **kwargs,
    ):
        if not (arguments.is_int(sequence_length) and sequence_length >= 3):
            raise ValueError(
                "sequence_length must be an int >= 3 ([CLS], at least one token, [SEP]). "
                f"Received: sequence_length={sequence_length!r}"
            )
        if not (arguments.is_int(mask_selection_length) and mask_selection_length >= 1):
            raise ValueError(
                "mask_selection_length must be an int >= 1. "
                f"Received: mask_selection_length={mask_selection_length!r}"
            )
        super().__init__(
            tokenizer,
            sequence_length=sequence_length,
            mask_selection_rate=mask_selection_rate,
            mask_selection_length=mask_selection_length,
            mask_token_rate=mask_token_rate,
            random_token_rate=random_token_rate,
            **kwargs,
        )

    def pack(self, texts):
        """Tokenized and packed texts without masking: the encoder's inputs for features.

        Args:
            texts: list or array of str.

        Returns:
            Dict of NumPy arrays `(n, sequence_length)`: `token_ids`, `segment_ids` and
            `padding_mask`.
        """
        packer = keras_hub.models.BertTextClassifierPreprocessor(
            self.tokenizer, sequence_length=self.sequence_length, truncate=self.truncate
        )
        return {name: keras.ops.convert_to_numpy(value) for name, value in packer(list(texts)).items()}
