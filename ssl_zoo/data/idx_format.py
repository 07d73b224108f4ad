"""Reader for the idx format of the MNIST family (big-endian header, gzip-compressed or not)."""

import gzip
import zlib

import numpy as np

# Magic number = 0x00 0x00 <dtype code> <number of dimensions>; only unsigned bytes (0x08) occur
# in MNIST and Fashion-MNIST.
_UBYTE = 0x08
_GZIP_MAGIC = b"\x1f\x8b"


def read_idx(filename, ndim):
    """Reads one idx file of unsigned bytes, gzip-compressed or not, and checks its header.

    The layout (http://yann.lecun.com/exdb/mnist/): a 4-byte magic number `0, 0, 8, ndim`,
    then `ndim` big-endian uint32 sizes, then `prod(sizes)` bytes of data.

    Args:
        filename: str. Path of a `*-idx{ndim}-ubyte.gz` or `*-idx{ndim}-ubyte` file (gzip is
            recognized by its first two bytes, not by the name).
        ndim: int. Number of dimensions the file must declare (1 for labels, 3 for images).

    Returns:
        uint8 NumPy array with the shape written in the header.

    Raises:
        ValueError: naming the file when its gzip stream is corrupt, it is truncated, has the
            wrong magic number or holds more or fewer bytes than its header declares.

    Example:
    ```python
    labels = read_idx("/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz", ndim=1)
    labels.shape  # (10000,)
    ```
    """
    with open(filename, "rb") as f:
        raw = f.read()
    if raw[:2] == _GZIP_MAGIC:
        raw = _gunzip(raw, filename)
    return _parse(raw, filename, ndim)


def _gunzip(raw, filename):
    try:
        return gzip.decompress(raw)
    except (OSError, EOFError, zlib.error) as e:
        raise ValueError(
            f"Could not decompress idx file {filename}: {e}. The file is corrupt or truncated; "
            "delete it and put a good copy in its place."
        ) from e


def _parse(raw, filename, ndim):
    magic = bytes(raw[:4])
    expected_magic = bytes([0, 0, _UBYTE, ndim])
    if magic != expected_magic:
        raise ValueError(
            f"idx file {filename} has magic number {magic.hex()}, expected "
            f"{expected_magic.hex()} (unsigned bytes, {ndim} dimension(s)). "
            "Is it the right file (images are idx3, labels idx1)?"
        )
    header_size = 4 + 4 * ndim
    if len(raw) < header_size:
        raise ValueError(
            f"idx file {filename} is truncated: {len(raw)} bytes, fewer than its "
            f"{header_size}-byte header."
        )
    shape = tuple(int(s) for s in np.frombuffer(raw, dtype=">u4", count=ndim, offset=4))
    expected_bytes = header_size + int(np.prod(shape, dtype=np.int64))
    if len(raw) != expected_bytes:
        raise ValueError(
            f"idx file {filename} holds {len(raw)} bytes but its header declares shape "
            f"{shape}, which needs {expected_bytes}: the file is truncated or corrupt."
        )
    # A copy, so callers get a writeable array rather than a view of immutable bytes.
    return np.frombuffer(raw, dtype=np.uint8, offset=header_size).reshape(shape).copy()
