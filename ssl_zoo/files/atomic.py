"""Write a file or a folder in one rename: a failed or interrupted write leaves what was there.

Temporary files and folders (`mkstemp`, `mkdtemp`) are private (0600, 0700); what these
functions leave behind gets the permissions the process's umask gives a new file or folder,
as `open` and `os.makedirs` would.
"""

import os
import shutil
import tempfile


def umask():
    """The process's file-mode creation mask, read without keeping it changed."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_named_file(path, write):
    """Call `write(tmp_path)` to write a temporary file beside `path`, then rename it to `path`.

    The temporary file ends in `path`'s own suffix (`.weights.h5` for Keras' savers). The
    folder of `path` is created if missing.
    """
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    name = os.path.basename(path)
    suffix = name[name.index("."):] if "." in name.lstrip(".") else ""
    handle, tmp_path = tempfile.mkstemp(prefix=".tmp-", suffix=suffix, dir=folder)
    os.close(handle)
    try:
        write(tmp_path)
        os.chmod(tmp_path, 0o666 & ~umask())
        os.replace(tmp_path, path)
    except BaseException:
        if os.path.exists(tmp_path):
            os.remove(tmp_path)
        raise


def write_file(path, write):
    """Call `write(f)` on a binary temporary file beside `path`, then rename it to `path`."""

    def write_to(tmp_path):
        with open(tmp_path, "wb") as f:
            write(f)

    write_named_file(path, write_to)


def write_folder(path, write):
    """Run `write(tmp_dir)`, then move the result to the folder `path` in one rename.

    An existing folder at `path` is replaced: whether it may be is the caller's check
    (`ssl_zoo.files.check_preset_dir`). A failed or interrupted write leaves it as it was.
    """
    path = os.path.abspath(path)
    parent = os.path.dirname(path)
    os.makedirs(parent, exist_ok=True)
    tmp_dir = tempfile.mkdtemp(prefix=".tmp-preset-", dir=parent)
    try:
        write(tmp_dir)
        os.chmod(tmp_dir, 0o777 & ~umask())
        if os.path.lexists(path):
            old = tempfile.mkdtemp(prefix=".old-preset-", dir=parent)
            os.rename(path, os.path.join(old, "preset"))
            os.rename(tmp_dir, path)
            shutil.rmtree(old)
        else:
            os.rename(tmp_dir, path)
    except BaseException:
        shutil.rmtree(tmp_dir, ignore_errors=True)
        raise
