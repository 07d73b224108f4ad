"""Tiny text models and data that keep the test suite fast on two CPU cores."""

import re

import keras_hub

from ssl_zoo import models
from ssl_zoo.data import BERT_SPECIAL_TOKENS
from ssl_zoo.data import load_synthetic_texts


def synthetic_texts(num_texts=64, seed=0):
    """`(texts, labels)` of the synthetic topic sentences."""
    texts, labels, _ = load_synthetic_texts(num_texts=num_texts, seed=seed)
    return texts, labels


def whole_word_vocabulary(texts):
    """BERT's special tokens, then every lowercased word and punctuation mark of `texts`.

    A valid WordPiece vocabulary made without the (slow) learner: every word is one piece.
    """
    words = sorted(set(re.findall(r"\w+|[^\w\s]", " ".join(texts).lower())))
    return BERT_SPECIAL_TOKENS + words


def tiny_masked_lm(sequence_length=16, max_sequence_length=None, **preprocessor_kwargs):
    """A one-layer, 8-wide `MaskedLM` over the synthetic texts' whole-word vocabulary."""
    vocabulary = whole_word_vocabulary(load_synthetic_texts()[0])
    tokenizer = keras_hub.models.BertTokenizer(vocabulary, lowercase=True)
    preprocessor = models.MaskedLMPreprocessor(
        tokenizer, sequence_length=sequence_length, **{"mask_selection_length": 4, **preprocessor_kwargs}
    )
    backbone = keras_hub.models.BertBackbone(
        vocabulary_size=len(vocabulary),
        num_layers=1,
        num_heads=2,
        hidden_dim=8,
        intermediate_dim=16,
        max_sequence_length=max_sequence_length or sequence_length,
    )
    return models.MaskedLM(backbone, preprocessor)
