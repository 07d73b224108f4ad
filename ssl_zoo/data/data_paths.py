"""Where the loaders look for local copies of a data set, in one order for all of them."""

import os


def candidate_folders(name, debian_path=None, extra=()):
    """The folders a loader searches when it is given no explicit path, in order.

    1. `$SSL_ZOO_DATA/<name>`, then `$SSL_ZOO_DATA` (when the variable is set);
    2. `extra`, the data set's own conventions (e.g. `$WNHOME/dict` for WordNet);
    3. the Keras cache, `$KERAS_HOME/datasets/<name>` (default `~/.keras/datasets/<name>`);
    4. `debian_path`, where the data set's Debian package installs it (when it has one).

    Args:
        name: str. The data set's folder name, e.g. `"fashion-mnist"`.
        debian_path: None or str. The folder of the Debian package's files.
        extra: sequence of str. Folders searched after `$SSL_ZOO_DATA`.

    Returns:
        List of folder paths (not checked for existence).
    """
    folders = []
    data_root = os.environ.get("SSL_ZOO_DATA")
    if data_root:
        folders += [os.path.join(data_root, name), data_root]
    folders += list(extra)
    folders.append(os.path.join(keras_datasets_folder(), name))
    if debian_path:
        folders.append(debian_path)
    return folders


def keras_datasets_folder():
    """`$KERAS_HOME/datasets` (default `~/.keras/datasets`), where `keras.datasets` caches."""
    keras_home = os.environ.get("KERAS_HOME") or os.path.join(os.path.expanduser("~"), ".keras")
    return os.path.join(keras_home, "datasets")


def find_copy(title, path, folders, probe):
    """The first local copy of a data set: at `path` when given, else in the first of `folders`.

    Args:
        title: str. The data set's name in messages, e.g. `"CIFAR-10"`.
        path: None or path-like. An explicit place (a folder, or a file where the data set
            comes as one); when given it is the only place looked at.
        folders: list of str. The places searched in order when `path` is None (from
            `candidate_folders`).
        probe: callable `probe(place) -> (copy, missing)`. `copy` is what the loader reads
            (a folder, an archive) or None when `place` holds no complete copy; `missing` then
            says what it lacks (e.g. `"missing test_batch"`), or is None when `place` holds
            nothing of the data set.

    Returns:
        `(copy, looked)`: the copy found or None, and one line per place looked at without
        success, for the caller's "not found" message.

    Raises:
        FileNotFoundError: `path` was given and does not exist or holds no complete copy.
    """
    if path is not None:
        path = os.fspath(path)
        if not os.path.exists(path):
            raise FileNotFoundError(
                f"`path` must be a local copy of {title}. Received: path={path!r}, which does "
                "not exist. Pass path=None to search $SSL_ZOO_DATA and the Keras cache."
            )
        copy, missing = probe(path)
        if copy is None:
            raise FileNotFoundError(
                f"`path` holds no complete copy of {title}: {missing or 'none of its files'}. "
                f"Received: path={path!r}."
            )
        return copy, []
    looked = [] if os.environ.get("SSL_ZOO_DATA") else ["$SSL_ZOO_DATA (not set)"]
    for folder in folders:
        copy, missing = probe(folder)
        if copy is not None:
            return copy, looked
        looked.append(f"{folder} ({missing})" if missing else folder)
    return None, looked


def not_found(title, how_to_get, looked):
    """The `FileNotFoundError` of a data set found nowhere: how to get it, and where we looked."""
    return FileNotFoundError(
        f"{title} was not found. {how_to_get} Looked in: {'; '.join(looked)}."
    )

