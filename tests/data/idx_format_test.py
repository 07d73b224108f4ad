import gzip

import numpy as np
import pytest

from ssl_zoo.data.idx_format import read_idx
from ssl_zoo.testing.idx_files import write_idx


def test_reads_known_pixels(tmp_path):
    # Header bytes written by hand: magic 0,0,8,3 then sizes 2, 2, 3 as big-endian uint32.
    raw = bytes([0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 3]) + bytes(range(12))
    with gzip.open(tmp_path / "x-idx3-ubyte.gz", "wb") as f:
        f.write(raw)
    images = read_idx(tmp_path / "x-idx3-ubyte.gz", ndim=3)
    np.testing.assert_array_equal(images, np.arange(12, dtype=np.uint8).reshape(2, 2, 3))
    assert images.dtype == np.uint8 and images.flags.writeable


def test_round_trip_labels(tmp_path):
    write_idx(tmp_path / "y.gz", [3, 1, 4, 1, 5])
    np.testing.assert_array_equal(read_idx(tmp_path / "y.gz", ndim=1), [3, 1, 4, 1, 5])


def test_wrong_magic_names_file(tmp_path):
    write_idx(tmp_path / "labels.gz", [1, 2, 3])
    with pytest.raises(ValueError, match=r"labels\.gz has magic number 00000801, expected 00000803"):
        read_idx(tmp_path / "labels.gz", ndim=3)


def test_truncated_data_names_file(tmp_path):
    write_idx(tmp_path / "full.gz", np.zeros((4, 28, 28)))
    with gzip.open(tmp_path / "full.gz") as f:
        raw = f.read()
    with gzip.open(tmp_path / "short.gz", "wb") as f:
        f.write(raw[:-5])
    with pytest.raises(ValueError, match=r"short\.gz holds 3147 bytes .* needs 3152"):
        read_idx(tmp_path / "short.gz", ndim=3)


def test_truncated_header(tmp_path):
    with gzip.open(tmp_path / "tiny.gz", "wb") as f:
        f.write(bytes([0, 0, 8, 1, 0]))
    with pytest.raises(ValueError, match=r"tiny\.gz is truncated: 5 bytes"):
        read_idx(tmp_path / "tiny.gz", ndim=1)


def test_truncated_gzip_stream_names_file(tmp_path):
    write_idx(tmp_path / "ok.gz", np.arange(200))
    (tmp_path / "cut.gz").write_bytes((tmp_path / "ok.gz").read_bytes()[:30])
    with pytest.raises(ValueError, match=r"Could not decompress idx file .*cut\.gz"):
        read_idx(tmp_path / "cut.gz", ndim=1)


def test_a_file_neither_gzip_nor_idx_names_file(tmp_path):
    (tmp_path / "plain.gz").write_bytes(b"<html>not found</html>")
    with pytest.raises(ValueError, match=r"idx file .*plain\.gz has magic number 3c68746d"):
        read_idx(tmp_path / "plain.gz", ndim=1)


def test_uncompressed_file(tmp_path):
    write_idx(tmp_path / "labels.gz", np.arange(5))
    (tmp_path / "labels").write_bytes(gzip.decompress((tmp_path / "labels.gz").read_bytes()))
    np.testing.assert_array_equal(read_idx(tmp_path / "labels", ndim=1), np.arange(5))
