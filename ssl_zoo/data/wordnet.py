"""WordNet glosses labeled with their lexicographer file, read from the database files."""

import os

import numpy as np

from ssl_zoo.data.data_paths import candidate_folders

# The 45 lexicographer files of WordNet 3.0, indexed by the `lex_filenum` of each synset
# (lexnames(5WN)).
WORDNET_LEXNAMES = [
    "adj.all", "adj.pert", "adv.all", "noun.Tops", "noun.act", "noun.animal",
    "noun.artifact", "noun.attribute", "noun.body", "noun.cognition", "noun.communication",
    "noun.event", "noun.feeling", "noun.food", "noun.group", "noun.location", "noun.motive",
    "noun.object", "noun.person", "noun.phenomenon", "noun.plant", "noun.possession",
    "noun.process", "noun.quantity", "noun.relation", "noun.shape", "noun.state",
    "noun.substance", "noun.time", "verb.body", "verb.change", "verb.cognition",
    "verb.communication", "verb.competition", "verb.consumption", "verb.contact",
    "verb.creation", "verb.emotion", "verb.motion", "verb.perception", "verb.possession",
    "verb.social", "verb.stative", "verb.weather", "adj.ppl",
]  # fmt: skip

WORDNET_FILES = ["data.noun", "data.verb", "data.adj", "data.adv"]

DEBIAN_PACKAGE = "wordnet-base"
DEBIAN_PATH = "/usr/share/wordnet"


def load_wordnet_glosses(path=None):
    """Loads every WordNet synset's gloss and the lexicographer file it belongs to.

    WordNet 3.0 (Miller, 1995) has 117,659 synsets; each gloss (a definition, often followed
    by quoted examples) is labeled with one of 45 lexicographer files such as `noun.animal`
    or `verb.motion`, a topic label that is in the database itself. The files
    `data.noun`, `data.verb`, `data.adj` and `data.adv` are looked for, in order, in:
    1. `path`, when given (then nowhere else);
    2. `$SSL_ZOO_DATA/wordnet`, then `$SSL_ZOO_DATA`;
    3. `$WNHOME/dict`, then `$WNHOME` (WordNet's own convention);
    4. the Keras cache, `$KERAS_HOME/datasets/wordnet`;
    5. `/usr/share/wordnet` (Debian package `wordnet-base`).
    Nothing is downloaded.

    Args:
        path: str or None. A folder holding `data.noun`, `data.verb`, `data.adj` and
            `data.adv` (the `dict/` folder of a WordNet 3.0 release).

    Returns:
        `(texts, labels, label_names)`: a list of gloss strings in file order (nouns, verbs,
        adjectives, adverbs), int32 labels `(n,)` (the `lex_filenum`, `0..44`) and the 45
        lexicographer file names (`WORDNET_LEXNAMES`) that the labels index.

    Raises:
        FileNotFoundError: `path` lacks a file, or no copy was found anywhere (the message
            names the Debian package and the other options).
        ValueError: a line of a data file is malformed (file and line number named).

    Example:
    ```python
    texts, labels, label_names = ssl_zoo.data.load_wordnet_glosses()
    len(texts), label_names[labels[0]]  # 117659, 'noun.Tops'
    ```
    """
    if path is not None:
        path = os.fspath(path)
        missing = _missing_files(path)
        if missing:
            raise FileNotFoundError(
                f"`path` must be a folder holding the WordNet database files "
                f"{', '.join(WORDNET_FILES)}; {path!r} lacks {', '.join(missing)}. Pass "
                f"path=None to search $SSL_ZOO_DATA, $WNHOME, the Keras cache and {DEBIAN_PATH}."
            )
        return _load_folder(path)

    looked = [] if os.environ.get("SSL_ZOO_DATA") else ["$SSL_ZOO_DATA (not set)"]
    wnhome = os.environ.get("WNHOME")
    extra = [os.path.join(wnhome, "dict"), wnhome] if wnhome else []
    for folder in candidate_folders("wordnet", DEBIAN_PATH, extra):
        if not _missing_files(folder):
            return _load_folder(folder)
        looked.append(folder)
    raise FileNotFoundError(
        f"WordNet was not found. Install it with `sudo apt-get install {DEBIAN_PACKAGE}` "
        f"(files in {DEBIAN_PATH}), or put {', '.join(WORDNET_FILES)} in "
        "$SSL_ZOO_DATA/wordnet, or set $WNHOME to a WordNet 3.0 installation, or pass their "
        f"folder as `path`. Looked in: {'; '.join(looked)}."
    )


def parse_wordnet_data_file(filename):
    """The `(gloss, lex_filenum)` of every synset in one WordNet `data.*` file.

    Each synset line reads (wndb(5WN)):
    `synset_offset lex_filenum ss_type w_cnt word lex_id [word lex_id...] p_cnt [ptr...]
    [frames...] | gloss`. Lines starting with two spaces are the license header.

    Args:
        filename: str. A `data.noun`, `data.verb`, `data.adj` or `data.adv` file.

    Returns:
        List of `(gloss, lex_filenum)` pairs, `gloss` stripped of surrounding spaces.
    """
    synsets = []
    with open(filename, encoding="utf-8") as f:
        for line_number, line in enumerate(f, start=1):
            if line.startswith("  ") or not line.strip():
                continue
            fields, bar, gloss = line.partition(" | ")
            fields = fields.split()
            gloss = gloss.strip()
            if not bar or len(fields) < 4 or not gloss:
                raise ValueError(
                    f"{filename}, line {line_number}: not a WordNet synset line "
                    "(`offset lex_filenum ss_type w_cnt ... | gloss`). Received: "
                    f"{line[:80]!r}. Is it a WordNet 3.0 data file?"
                )
            lex_filenum = int(fields[1]) if fields[1].isdigit() else -1
            if not 0 <= lex_filenum < len(WORDNET_LEXNAMES):
                raise ValueError(
                    f"{filename}, line {line_number}: lex_filenum must be an integer in "
                    f"0..{len(WORDNET_LEXNAMES) - 1}. Received: {fields[1]!r}"
                )
            synsets.append((gloss, lex_filenum))
    return synsets


def _missing_files(folder):
    return [f for f in WORDNET_FILES if not os.path.isfile(os.path.join(folder, f))]


def _load_folder(folder):
    synsets = [s for name in WORDNET_FILES for s in parse_wordnet_data_file(os.path.join(folder, name))]
    texts = [gloss for gloss, _ in synsets]
    labels = np.array([label for _, label in synsets], dtype=np.int32)
    return texts, labels, list(WORDNET_LEXNAMES)
