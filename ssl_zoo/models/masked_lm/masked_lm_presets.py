"""Built-in MaskedLM presets: name -> description. The folders live in presets/<name>/."""

task_presets = {
    "mlm_bert_tiny_wordnet": "BERT masked language model, bert_tiny, pretrained on WordNet glosses (WordPiece vocabulary learned from them).",
}
