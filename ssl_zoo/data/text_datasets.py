"""One entry point from a `--data` value to train and test texts (used by the CLI)."""

import os

import numpy as np

from ssl_zoo.data.image_datasets import IMAGE_DATA_NAMES
from ssl_zoo.data.synthetic_texts import load_synthetic_texts
from ssl_zoo.data.text_folder import load_text_folder
from ssl_zoo.data.wordnet import load_wordnet_glosses

TEXT_DATA_NAMES = ("wordnet", "synthetic")
WORDNET_TEST_SIZE = 10_000


def load_texts(data, test_fraction=0.2, seed=0, lines=False):
    """Loads a text data set by name or folder, split at random into train and test.

    - `"wordnet"`: `load_wordnet_glosses()`, 117,659 glosses labeled with their 45
      lexicographer files; 10,000 of them, chosen with `seed`, form the test split.
    - `"synthetic"`: `load_synthetic_texts(seed=seed)`, 600 template sentences in 4 topics.
    - a folder: `load_text_folder(data, lines=lines)`, labeled by class sub-folder if it has
      them, else unlabeled.
    Names win over folders of the same name (pass `./synthetic` for the folder).

    Args:
        data: str. `"wordnet"`, `"synthetic"` or a path to a folder of `.txt` files.
        test_fraction: float in `[0, 1)`. Share of the test split, except for WordNet.
        seed: int. Seed of the split (and of the generator, for synthetic texts).
        lines: bool. For folders: one text per non-empty line instead of per file.

    Returns:
        `(x_train, y_train), (x_test, y_test), label_names`: texts as NumPy object arrays
        of str, int32 labels `(n,)` (None for an unlabeled folder) and the class names.

    Example:
    ```python
    (x, y), (x_test, y_test), label_names = ssl_zoo.data.load_texts("wordnet")
    len(x), len(x_test), label_names[y[0]]  # 107659, 10000, e.g. 'noun.artifact'
    ```
    """
    if not 0 <= test_fraction < 1:
        raise ValueError(f"`test_fraction` must be in [0, 1). Received: test_fraction={test_fraction!r}")
    if data == "wordnet":
        texts, labels, label_names = load_wordnet_glosses()
        num_test = WORDNET_TEST_SIZE
    elif data == "synthetic":
        texts, labels, label_names = load_synthetic_texts(seed=seed)
        num_test = int(round(len(texts) * test_fraction))
    elif data in IMAGE_DATA_NAMES:
        raise ValueError(
            f"data={data!r} is an image data set; text methods (MaskedLM) need texts: one of "
            f"{', '.join(repr(n) for n in TEXT_DATA_NAMES)} or a folder of .txt files."
        )
    elif isinstance(data, (str, os.PathLike)) and os.path.isdir(data):
        texts, labels, label_names = load_text_folder(data, lines=lines)
        num_test = int(round(len(texts) * test_fraction))
    else:
        raise ValueError(
            f"Unknown text data {data!r}: not a known name and not an existing folder. Accepted: "
            f"{', '.join(repr(n) for n in TEXT_DATA_NAMES)}, or the path of a folder of .txt "
            "files (optionally in one sub-folder per class)."
        )
    texts = np.array(texts, dtype=object)
    order = np.random.default_rng(seed).permutation(len(texts))
    train, test = order[num_test:], order[:num_test]
    if labels is None:
        return (texts[train], None), (texts[test], None), label_names
    return (texts[train], labels[train]), (texts[test], labels[test]), label_names
