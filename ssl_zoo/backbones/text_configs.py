"""Named sizes of text encoders: keras-hub's `BertBackbone`, small enough for a CPU."""

import keras_hub

TEXT_BACKBONES = {
    # BERT-Tiny and BERT-Mini of Turc et al., "Well-Read Students Learn Better" (2019).
    "bert_tiny": dict(num_layers=2, num_heads=2, hidden_dim=128, intermediate_dim=512),
    "bert_mini": dict(num_layers=4, num_heads=4, hidden_dim=256, intermediate_dim=1024),
}


def build_text_backbone(name, vocabulary_size, sequence_length):
    """A fresh `keras_hub.models.BertBackbone` of the named size.

    Args:
        name: str. A key of `TEXT_BACKBONES`.
        vocabulary_size: int. Rows of the token embedding (the tokenizer's vocabulary size).
        sequence_length: int. Longest input, in tokens (`max_sequence_length`).

    Returns:
        `keras_hub.models.BertBackbone`.
    """
    if name not in TEXT_BACKBONES:
        raise ValueError(
            f"Unknown text backbone '{name}'. Available: {', '.join(sorted(TEXT_BACKBONES))}"
        )
    return keras_hub.models.BertBackbone(
        vocabulary_size=vocabulary_size,
        max_sequence_length=sequence_length,
        **TEXT_BACKBONES[name],
    )
