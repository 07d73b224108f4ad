"""A small deterministic labeled text set: template sentences about a few topics."""

import numpy as np

from ssl_zoo import arguments

# Each topic has its own nouns and verbs; adjectives and the sentence frames are shared, so
# the topic is told by the content words, which a masked language model learns to predict
# from one another.
SYNTHETIC_TOPICS = {
    "animals": (["cat", "dog", "horse", "bird", "fox", "rabbit"], ["runs", "sleeps", "hunts", "jumps"]),
    "food": (["bread", "soup", "apple", "cheese", "rice", "cake"], ["tastes", "cooks", "bakes", "melts"]),
    "weather": (["rain", "wind", "storm", "cloud", "snow", "fog"], ["falls", "blows", "drifts", "clears"]),
    "music": (["song", "drum", "piano", "guitar", "choir", "violin"], ["plays", "sings", "echoes", "rings"]),
    "sports": (["ball", "team", "goal", "match", "runner", "coach"], ["wins", "scores", "kicks", "trains"]),
    "space": (["star", "planet", "moon", "comet", "rocket", "orbit"], ["shines", "spins", "launches", "glows"]),
}
SYNTHETIC_TEXT_CLASS_NAMES = list(SYNTHETIC_TOPICS)

_ADJECTIVES = ["small", "large", "old", "new", "quiet", "bright", "dark", "quick"]
_FRAMES = [
    "the {adj} {noun} {verb} near the {noun2}.",
    "a {noun} {verb} and the {noun2} {verb2}.",
    "every {adj} {noun} {verb} with a {adj2} {noun2}.",
    "today the {noun} {verb}, then the {adj} {noun2} {verb2}.",
]


def load_synthetic_texts(num_texts=600, num_classes=4, seed=0):
    """Generates labeled template sentences; the same arguments give the same texts.

    Each text fills a sentence frame with two nouns and one or two verbs of its topic and
    shared adjectives, e.g. `"the quiet fox hunts near the rabbit."` (`animals`). Fast to
    make and to learn: for smoke tests and examples, not for reporting accuracy.

    Args:
        num_texts: int >= 1. Number of texts.
        num_classes: int in `2..6`. Uses the first `num_classes` topics of
            `SYNTHETIC_TEXT_CLASS_NAMES`.
        seed: int. Seed of the NumPy generator.

    Returns:
        `(texts, labels, label_names)`: a list of strings, int32 labels `(n,)` (classes
        balanced up to one) and the topic names.

    Example:
    ```python
    texts, labels, label_names = ssl_zoo.data.load_synthetic_texts(num_texts=100)
    label_names[labels[0]], texts[0]
    ```
    """
    if not (arguments.is_int(num_texts) and num_texts >= 1):
        raise ValueError(f"`num_texts` must be an int >= 1. Received: num_texts={num_texts!r}")
    if not (arguments.is_int(num_classes) and 2 <= num_classes <= len(SYNTHETIC_TOPICS)):
        raise ValueError(
            f"`num_classes` must be an int from 2 to {len(SYNTHETIC_TOPICS)} (one per topic in "
            f"SYNTHETIC_TEXT_CLASS_NAMES). Received: num_classes={num_classes!r}"
        )
    rng = np.random.default_rng(seed)
    labels = rng.permutation(np.arange(num_texts) % num_classes).astype(np.int32)
    texts = []
    for label in labels:
        nouns, verbs = SYNTHETIC_TOPICS[SYNTHETIC_TEXT_CLASS_NAMES[label]]
        noun, noun2 = rng.choice(nouns, 2, replace=False)
        verb, verb2 = rng.choice(verbs, 2, replace=False)
        adj, adj2 = rng.choice(_ADJECTIVES, 2, replace=False)
        frame = _FRAMES[rng.integers(len(_FRAMES))]
        texts.append(frame.format(noun=noun, noun2=noun2, verb=verb, verb2=verb2, adj=adj, adj2=adj2))
    return texts, labels, SYNTHETIC_TEXT_CLASS_NAMES[:num_classes]
