"""Where the loaders look for local copies of a data set, in one order for all of them."""

import os


def candidate_folders(name, debian_path, extra=()):
    """The folders a loader searches when it is given no explicit path, in order.

    1. `$SSL_ZOO_DATA/<name>`, then `$SSL_ZOO_DATA` (when the variable is set);
    2. `extra`, the data set's own conventions (e.g. `$WNHOME/dict` for WordNet);
    3. the Keras cache, `$KERAS_HOME/datasets/<name>` (default `~/.keras/datasets/<name>`);
    4. `debian_path`, where the data set's Debian package installs it.

    Args:
        name: str. The data set's folder name, e.g. `"fashion-mnist"`.
        debian_path: str. The folder of the Debian package's files.
        extra: sequence of str. Folders searched after `$SSL_ZOO_DATA`.

    Returns:
        List of folder paths (not checked for existence).
    """
    folders = []
    data_root = os.environ.get("SSL_ZOO_DATA")
    if data_root:
        folders += [os.path.join(data_root, name), data_root]
    folders += list(extra)
    keras_home = os.environ.get("KERAS_HOME") or os.path.join(os.path.expanduser("~"), ".keras")
    folders.append(os.path.join(keras_home, "datasets", name))
    folders.append(debian_path)
    return folders
