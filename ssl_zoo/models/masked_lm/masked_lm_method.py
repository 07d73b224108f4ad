"""MaskedLM as the registry sees it: options, presets and how they are trained."""

from ssl_zoo import methods
from ssl_zoo.methods import option_types


def build(settings):
    """A BERT masked language model; its WordPiece vocabulary is learned from `x_train`."""
    import keras_hub

    from ssl_zoo import backbones
    from ssl_zoo import data
    from ssl_zoo import models

    x_train = settings.x_train
    print(f"Learning a WordPiece vocabulary of up to {settings.vocabulary_size:,} tokens from {len(x_train):,} texts")
    try:
        vocabulary = data.compute_vocabulary(x_train, settings.vocabulary_size)
    except ValueError as error:
        raise ValueError(f"--vocabulary-size {settings.vocabulary_size}: {error}") from None
    preprocessor = models.MaskedLMPreprocessor(
        keras_hub.models.BertTokenizer(vocabulary, lowercase=True),
        sequence_length=settings.sequence_length,
        # 15% of the tokens, with room for texts that draw more.
        mask_selection_length=max(1, settings.sequence_length // 4),
    )
    backbone = backbones.build_text_backbone(
        settings.backbone or "bert_tiny", len(vocabulary), settings.sequence_length
    )
    return models.MaskedLM(backbone, preprocessor)


def tiny(deterministic=False):  # the masks are random, and mlm is not data-parallel
    from ssl_zoo.testing.tiny_text import tiny_masked_lm

    return tiny_masked_lm()


METHOD = methods.register(methods.Method(
    name="mlm", task="ssl_zoo.models.masked_lm:MaskedLM", modality="texts", build=build,
    description="BERT's masked language model: predict masked word pieces of each text",
    tiny=tiny,
    options=(
        methods.Option("vocabulary_size", "largest WordPiece vocabulary", default=8000,
                       type=option_types.positive_int, metavar="V", shapes_model=True),
        methods.Option("sequence_length", "tokens per text, [CLS] and [SEP] included: >= 3",
                       default=64, type=option_types.integer_at_least(3), metavar="L", shapes_model=True),
    ),
    validation_examples=2000,
    data_parallel=False,  # keras-hub's preprocessing inside tf.distribute and torchrun: untested
    presets={
        "mlm_bert_tiny_wordnet": "BERT masked language model, bert_tiny, pretrained on WordNet glosses (WordPiece vocabulary learned from them).",
    },
    recipes={
        "mlm_bert_tiny_wordnet": ("wordnet", [
            "--backbone bert_tiny --epochs 3 --batch-size 128 --schedule cosine --knn-every 0",
            "--epochs 4 --batch-size 128 --schedule cosine --knn-every 0",
            "--epochs 4 --batch-size 128 --schedule cosine --knn-every 0",
        ]),
    },
))
