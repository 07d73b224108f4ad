"""Write a file in one rename: a failed write leaves any earlier file as it was."""

import os
import tempfile


def write_atomically(path, write):
    """Call `write(f)` on a binary temporary file beside `path`, then rename it to `path`.

    The folder of `path` is created if missing.
    """
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    suffix = os.path.splitext(path)[1]
    handle, tmp_path = tempfile.mkstemp(prefix=".tmp-", suffix=suffix, dir=folder)
    try:
        with os.fdopen(handle, "wb") as f:
            write(f)
        os.replace(tmp_path, path)
    except BaseException:
        os.remove(tmp_path)
        raise
