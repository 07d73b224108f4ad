import gzip

import numpy as np
import pytest

from ssl_zoo import data
from ssl_zoo.testing.idx_files import write_fashion_mnist


@pytest.fixture
def no_default_copies(tmp_path, monkeypatch):
    monkeypatch.delenv("SSL_ZOO_DATA", raising=False)
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras_home"))
    return tmp_path


def test_uncompressed_idx_files(tmp_path):
    (x, y), (x_test, y_test) = write_fashion_mnist(tmp_path, seed=1)
    for path in tmp_path.glob("*.gz"):  # MNIST's files, as `gunzip` leaves them
        path.with_suffix("").write_bytes(gzip.decompress(path.read_bytes()))
        path.unlink()
    (x_l, y_l), (xt_l, yt_l) = data.load_mnist(tmp_path)
    for actual, expected in ((x_l, x), (y_l, y), (xt_l, x_test), (yt_l, y_test)):
        np.testing.assert_array_equal(actual, expected)


def test_keras_cache_npz(no_default_copies):
    cache = no_default_copies / "keras_home" / "datasets"
    cache.mkdir(parents=True)
    rng = np.random.default_rng(0)
    arrays = dict(x_train=rng.integers(0, 256, (4, 28, 28), dtype=np.uint8), y_train=np.array([0, 1, 2, 9]),
                  x_test=rng.integers(0, 256, (2, 28, 28), dtype=np.uint8), y_test=np.array([5, 5]))
    np.savez(cache / "mnist.npz", **arrays)
    (x, y), (x_test, y_test) = data.load_mnist()
    np.testing.assert_array_equal(x, arrays["x_train"])
    assert y.dtype == np.uint8 and list(y) == [0, 1, 2, 9] and list(y_test) == [5, 5]
    (x, _), _ = data.load_mnist(cache / "mnist.npz")
    np.testing.assert_array_equal(x, arrays["x_train"])


def test_npz_with_other_arrays(tmp_path):
    np.savez(tmp_path / "mnist.npz", images=np.zeros((2, 28, 28), np.uint8))
    with pytest.raises(ValueError, match=r"mnist.npz is not a MNIST .npz \(arrays x_train, y_train, x_test, y_test\)"):
        data.load_mnist(tmp_path)


def test_lookalike_with_its_own_classes(tmp_path):
    write_fashion_mnist(tmp_path)
    with pytest.raises(ValueError, match=r"KMNIST labels are 0..2"):
        data.load_mnist(tmp_path, title="KMNIST", num_classes=3)


def test_nothing_found(no_default_copies):
    with pytest.raises(FileNotFoundError, match=r"MNIST was not found. Put the four idx files"):
        data.load_mnist()
