"""Checks on texts handed to text tasks."""

import numpy as np


def prepare_texts(texts, preprocessor, name="texts"):
    """Validate a batch of raw texts: a flat sequence of strings, each with some token.

    Args:
        texts: list, tuple or NumPy array of str; a bare str is one text (not a sequence of
            characters). Other inputs (`tf.data`, a `PyDataset`) are returned unchanged for
            Keras to iterate.
        preprocessor: `ssl_zoo.models.MaskedLMPreprocessor` whose tokenizer is checked.
        name: str. The argument's name in error messages.

    Returns:
        The texts as a NumPy object array `(n,)`, or the input unchanged.
    """
    if isinstance(texts, np.ndarray) and texts.ndim == 0:
        texts = texts.item()
    if isinstance(texts, str):
        texts = [texts]
    if not isinstance(texts, (list, tuple, np.ndarray)):
        return texts
    if len(texts) == 0:
        raise ValueError(f"{name} is empty. Pass a list of strings.")
    for index, text in enumerate(texts):
        if not isinstance(text, str):
            raise ValueError(
                f"{name} must be a flat sequence of str. Received: {name}[{index}] of type "
                f"{type(text).__name__}: {text!r:.80}"
            )
    array = np.array(list(texts), dtype=object)
    # padding_mask counts [CLS] and [SEP] besides the text's own tokens.
    num_tokens = preprocessor.pack(array)["padding_mask"].sum(axis=1) - 2
    empty = np.flatnonzero(num_tokens <= 0)
    if empty.size:
        raise ValueError(
            f"{name}[{empty[0]}] = {array[empty[0]]!r:.80} tokenizes to no tokens, as do "
            f"{empty.size - 1} other text(s) of {len(array)}. Every text needs at least one "
            "word or symbol: drop empty and whitespace-only texts."
        )
    return array
