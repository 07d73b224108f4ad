"""Checks that an output path may be written, made before any expensive work.

Each check raises a `ValueError` that names the argument (`--out` on the command line,
`preset_dir` in Python), the path and what would work. None of them writes anything.
"""

import fnmatch
import os
import tempfile

# What keras-hub's `save_to_preset` writes: a folder holding only these may be replaced.
_PRESET_ENTRIES = (
    "config.json", "metadata.json", "task.json", "preprocessor.json", "tokenizer.json",
    "assets", "*.weights.h5", "*.weights.json",
)


def check_preset_dir(path, argument="preset_dir"):
    """Refuse a preset folder to write that would replace anything but a preset.

    `path` may be absent (it is created), an empty folder, or a folder holding only what
    `save_to_preset` writes (replaced). Refused: an empty path, a file, a folder with other
    entries, the current folder or one that holds it, a place that cannot be written.

    Returns:
        str: `path` as a string (`os.PathLike` accepted).
    """
    path = _check_path(path, argument, "preset folder")
    if os.path.lexists(path) and not os.path.isdir(path):
        raise ValueError(
            f"{_received(argument, path)} is a file, not a preset folder: nothing was written. "
            "Name a new folder (it is created) or a preset folder to replace."
        )
    real, here = os.path.realpath(path), os.path.realpath(os.getcwd())
    if here == real or here.startswith(real.rstrip(os.sep) + os.sep):
        raise ValueError(
            f"{_received(argument, path)} is the current folder or holds it; replacing it would "
            "delete what is in it. Name a new folder, e.g. ./my_preset."
        )
    if os.path.isdir(path):
        foreign = sorted(name for name in os.listdir(path) if not _is_preset_entry(name))
        if foreign:
            shown = ", ".join(foreign[:3]) + (", ..." if len(foreign) > 3 else "")
            raise ValueError(
                f"{_received(argument, path)} is a folder that is not a preset (it holds {shown}); "
                "replacing it would delete them. Name a new folder (it is created) or a preset "
                "folder to replace."
            )
    _check_writable(path, argument, os.path.dirname(os.path.abspath(path)))
    return path


def check_file(path, argument):
    """Refuse a file to write whose path is empty, a folder, or in a place that can't be written."""
    path = _check_path(path, argument, "file")
    if os.path.isdir(path):
        raise ValueError(f"{_received(argument, path)} is a folder. Name a file to write.")
    _check_writable(path, argument, os.path.dirname(os.path.abspath(path)))
    return path


def check_folder(path, argument):
    """Refuse a folder to write into whose path is empty, a file, or can't be written."""
    path = _check_path(path, argument, "folder")
    if os.path.lexists(path) and not os.path.isdir(path):
        raise ValueError(f"{_received(argument, path)} is a file. Name a folder (it is created if missing).")
    _check_writable(path, argument, path)
    return path


def _check_path(path, argument, kind):
    if isinstance(path, os.PathLike):
        path = os.fspath(path)
    if not isinstance(path, str) or not path.strip():
        raise ValueError(f"{argument} must name a {kind}. Received: {_received(argument, path)}")
    return path


def _check_writable(path, argument, folder):
    """Create and remove a temporary folder in `folder`, or its nearest existing parent."""
    folder = os.path.abspath(folder)
    while not os.path.isdir(folder):
        if os.path.lexists(folder):
            raise ValueError(f"{_received(argument, path)} cannot be written: {folder} is a file.")
        folder = os.path.dirname(folder)
    try:
        os.rmdir(tempfile.mkdtemp(prefix=".tmp-check-", dir=folder))
    except OSError as error:
        raise ValueError(
            f"{_received(argument, path)} cannot be written ({error.strerror} in {folder}). "
            "Name a place you can write to."
        ) from None


def _is_preset_entry(name):
    return any(fnmatch.fnmatch(name, pattern) for pattern in _PRESET_ENTRIES)


def _received(argument, value):
    """`--out 'x'` for a command-line flag, `preset_dir='x'` for a Python argument."""
    return f"{argument} {value!r}" if argument.startswith("--") else f"{argument}={value!r}"
