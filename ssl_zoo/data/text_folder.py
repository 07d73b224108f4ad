"""Plain-text files in a folder, optionally in class sub-folders."""

import os

import numpy as np


def load_text_folder(directory, lines=False):
    """Loads the `.txt` files of a folder, like `keras.utils.text_dataset_from_directory`.

    ```
    directory/                  directory/
        sports/  a.txt b.txt        corpus_1.txt
        science/ c.txt ...          corpus_2.txt
    ```
    With class sub-folders (left) each sub-folder is a class, labeled in sorted order, and its
    `.txt` files are found recursively; files directly in `directory` are then ignored.
    Without sub-folders (right) the texts are unlabeled. Files are read as UTF-8 in sorted
    order; texts that are empty or only whitespace are skipped.

    Args:
        directory: str. The folder.
        lines: bool. Each non-empty line of a file is one text (a corpus with one sentence
            or document per line); else each file is one text.

    Returns:
        `(texts, labels, label_names)`: a list of strings, int32 labels `(n,)` and the sorted
        sub-folder names; `labels` is None and `label_names` empty when there are no class
        sub-folders.

    Example:
    ```python
    texts, labels, label_names = ssl_zoo.data.load_text_folder("reviews/")
    ```
    """
    directory = os.fspath(directory)
    if not os.path.isdir(directory):
        raise FileNotFoundError(
            "`directory` must be an existing folder of .txt files (optionally in class "
            f"sub-folders). Received: directory={directory!r}"
        )
    label_names = sorted(
        name for name in os.listdir(directory)
        if os.path.isdir(os.path.join(directory, name)) and _text_files(os.path.join(directory, name))
    )
    if label_names:
        groups = [_text_files(os.path.join(directory, name)) for name in label_names]
    else:
        top = [os.path.join(directory, name) for name in sorted(os.listdir(directory))]
        groups = [[f for f in top if f.endswith(".txt") and os.path.isfile(f)]]
    texts, labels = [], []
    for label, files in enumerate(groups):
        for filename in files:
            with open(filename, encoding="utf-8") as f:
                content = f.read()
            for text in content.splitlines() if lines else [content]:
                if text.strip():
                    texts.append(text.strip())
                    labels.append(label)
    if not texts:
        raise ValueError(
            f"{directory!r} holds no non-empty .txt file, directly or in class sub-folders. "
            "Put one text per file (or per line, with lines=True) in files ending in .txt."
        )
    if not label_names:
        return texts, None, []
    return texts, np.array(labels, dtype=np.int32), label_names


def _text_files(folder):
    """Sorted `.txt` files under `folder`, recursively."""
    return sorted(
        os.path.join(root, name)
        for root, _, names in os.walk(folder)
        for name in names
        if name.endswith(".txt")
    )
