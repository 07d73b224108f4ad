"""A WordPiece vocabulary learned from a list of texts, with BERT's special tokens."""

import unicodedata

import numpy as np

from ssl_zoo import arguments

BERT_SPECIAL_TOKENS = ["[PAD]", "[CLS]", "[SEP]", "[UNK]", "[MASK]"]
# The WordPiece learner keeps at most this many distinct characters (the most frequent).
MAX_ALPHABET = 1000


def compute_vocabulary(texts, vocabulary_size=8000, lowercase=True):
    """Learns a WordPiece vocabulary (Wu et al., 2016; BERT's tokenizer) from `texts`.

    Wraps `keras_hub.tokenizers.compute_word_piece_vocabulary`, which reads a `tf.data`
    pipeline (TensorFlow and TensorFlow Text are needed here on every backend). Texts are
    split on whitespace and punctuation, accents are stripped, and the special tokens come
    first, so the list fits `keras_hub.models.BertTokenizer(vocabulary, lowercase=lowercase)`.

    Args:
        texts: sequence of str. The corpus.
        vocabulary_size: int. Largest vocabulary size; the result is smaller when the
            corpus has fewer distinct word pieces. At least 5 + 2 x the corpus's distinct
            characters (after lowercasing and stripping accents; at most 1,000 count): the
            special tokens and each character alone and as a `"##"` continuation.
        lowercase: bool. Lowercase before learning (then also in the tokenizer).

    Returns:
        List of str: `"[PAD]", "[CLS]", "[SEP]", "[UNK]", "[MASK]"`, then word pieces
        (`"##"` marks a piece that continues a word).

    Example:
    ```python
    vocabulary = ssl_zoo.data.compute_vocabulary(texts, vocabulary_size=8000)
    tokenizer = keras_hub.models.BertTokenizer(vocabulary, lowercase=True)
    ```
    """
    import keras_hub
    import tensorflow as tf

    if not (arguments.is_int(vocabulary_size) and vocabulary_size > len(BERT_SPECIAL_TOKENS)):
        raise ValueError(
            f"`vocabulary_size` must be an int > {len(BERT_SPECIAL_TOKENS)} (the special tokens "
            f"{', '.join(BERT_SPECIAL_TOKENS)} come first). Received: vocabulary_size={vocabulary_size!r}"
        )
    texts = list(np.asarray(texts, dtype=object).reshape(-1))
    if not all(isinstance(t, str) for t in texts):
        raise ValueError("`texts` must be a sequence of str.")
    if not any(t.strip() for t in texts):
        raise ValueError(
            f"`texts` hold no words to learn a vocabulary from ({len(texts)} texts, all empty "
            "or whitespace). Pass the training corpus."
        )
    # Every character alone and as a "##" continuation, or words that use it become [UNK].
    num_characters = min(len(_alphabet(texts, lowercase)), MAX_ALPHABET)
    smallest = len(BERT_SPECIAL_TOKENS) + 2 * num_characters
    if vocabulary_size < smallest:
        raise ValueError(
            f"vocabulary_size is too small for this corpus: its {len(BERT_SPECIAL_TOKENS)} "
            f"special tokens and {num_characters} distinct characters, each alone and as a '##' "
            f"continuation, need vocabulary_size >= {smallest}; with fewer, most words "
            f"tokenize to [UNK]. Received: vocabulary_size={vocabulary_size}"
        )
    return keras_hub.tokenizers.compute_word_piece_vocabulary(
        tf.data.Dataset.from_tensor_slices(tf.constant(texts, dtype=tf.string)).batch(1024),
        vocabulary_size,
        lowercase=lowercase,
        strip_accents=True,
        reserved_tokens=BERT_SPECIAL_TOKENS,
    )


def _alphabet(texts, lowercase):
    """The characters of `texts` as the WordPiece learner sees them: accents stripped,
    casefolded if `lowercase`, whitespace dropped."""
    characters = set()
    for text in texts:
        text = "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")
        if lowercase:  # TensorFlow Text's case_fold_utf8: NFKC_Casefold
            text = unicodedata.normalize("NFKC", text.casefold())
        characters.update(c for c in text if not c.isspace())
    return characters
