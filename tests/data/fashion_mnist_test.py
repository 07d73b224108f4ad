import os

import numpy as np
import pytest

from ssl_zoo import data
from ssl_zoo.data import fashion_mnist
from ssl_zoo.testing.idx_files import write_fashion_mnist
from ssl_zoo.testing.idx_files import write_idx


@pytest.fixture
def no_default_copies(tmp_path, monkeypatch):
    """Empties every default place, so a test sees only the copies it writes."""
    monkeypatch.delenv("SSL_ZOO_DATA", raising=False)
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras_home"))
    monkeypatch.setattr(fashion_mnist, "DEBIAN_PATH", str(tmp_path / "debian"))

    def offline():
        raise OSError("no network here")

    monkeypatch.setattr("keras.datasets.fashion_mnist.load_data", offline)
    return tmp_path


def assert_splits_equal(actual, expected):
    for (x_a, y_a), (x_e, y_e) in zip(actual, expected):
        assert x_a.dtype == np.uint8 and y_a.dtype == np.uint8
        np.testing.assert_array_equal(x_a, x_e)
        np.testing.assert_array_equal(y_a, y_e)


def test_explicit_path_exact_pixels(tmp_path):
    written = write_fashion_mnist(tmp_path / "fm", num_train=5, num_test=3)
    loaded = data.load_fashion_mnist(tmp_path / "fm")
    assert loaded[0][0].shape == (5, 28, 28) and loaded[1][0].shape == (3, 28, 28)
    assert_splits_equal(loaded, written)


def test_missing_explicit_path_names_argument_and_value(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"`path` .* Received: path='.*nowhere', which does not exist"):
        data.load_fashion_mnist(str(tmp_path / "nowhere"))


def test_incomplete_explicit_path_lists_missing_file(tmp_path):
    write_fashion_mnist(tmp_path)
    os.remove(tmp_path / "t10k-labels-idx1-ubyte.gz")
    with pytest.raises(FileNotFoundError, match=r"no complete copy of Fashion-MNIST: missing t10k-labels-idx1-ubyte\.gz"):
        data.load_fashion_mnist(tmp_path)


def test_lookup_order(no_default_copies, monkeypatch):
    root = no_default_copies
    debian = write_fashion_mnist(root / "debian", seed=1)
    assert_splits_equal(data.load_fashion_mnist(), debian)
    cache = write_fashion_mnist(root / "keras_home" / "datasets" / "fashion-mnist", seed=2)
    assert_splits_equal(data.load_fashion_mnist(), cache)
    monkeypatch.setenv("SSL_ZOO_DATA", str(root / "zoo"))
    flat = write_fashion_mnist(root / "zoo", seed=3)
    assert_splits_equal(data.load_fashion_mnist(), flat)
    nested = write_fashion_mnist(root / "zoo" / "fashion-mnist", seed=4)
    assert_splits_equal(data.load_fashion_mnist(), nested)
    explicit = write_fashion_mnist(root / "explicit", seed=5)
    assert_splits_equal(data.load_fashion_mnist(root / "explicit"), explicit)


def test_falls_back_to_keras_download(no_default_copies, monkeypatch):
    downloaded = write_fashion_mnist(no_default_copies / "downloaded", seed=6)
    monkeypatch.setattr("keras.datasets.fashion_mnist.load_data", lambda: downloaded)
    assert data.load_fashion_mnist() is downloaded


def test_nothing_found_names_package_and_places(no_default_copies, monkeypatch):
    monkeypatch.setenv("SSL_ZOO_DATA", str(no_default_copies / "zoo"))
    with pytest.raises(FileNotFoundError) as info:
        data.load_fashion_mnist()
    message = str(info.value)
    assert "sudo apt-get install dataset-fashion-mnist" in message
    assert "$SSL_ZOO_DATA" in message and "`path`" in message
    for place in ("zoo/fashion-mnist", "keras_home/datasets/fashion-mnist", "debian"):
        assert os.path.join(str(no_default_copies), place) in message
    assert "no network here" in message


def test_download_false_skips_keras(no_default_copies, monkeypatch):
    def must_not_run():
        raise AssertionError("download attempted")

    monkeypatch.setattr("keras.datasets.fashion_mnist.load_data", must_not_run)
    with pytest.raises(FileNotFoundError, match="download disabled"):
        data.load_fashion_mnist(download=False)


def test_partial_folder_is_reported_and_skipped(no_default_copies, monkeypatch):
    monkeypatch.setenv("SSL_ZOO_DATA", str(no_default_copies / "zoo"))
    write_fashion_mnist(no_default_copies / "zoo")
    os.remove(no_default_copies / "zoo" / "train-images-idx3-ubyte.gz")
    with pytest.raises(FileNotFoundError, match=r"zoo \(missing train-images-idx3-ubyte\.gz\)"):
        data.load_fashion_mnist()


def test_corrupt_file_names_file(tmp_path):
    write_fashion_mnist(tmp_path)
    (tmp_path / "train-labels-idx1-ubyte.gz").write_bytes(b"\x1f\x8b truncated")
    with pytest.raises(ValueError, match=r"train-labels-idx1-ubyte\.gz"):
        data.load_fashion_mnist(tmp_path)


def test_image_label_count_mismatch(tmp_path):
    write_fashion_mnist(tmp_path, num_train=4)
    write_idx(tmp_path / "train-labels-idx1-ubyte.gz", [0, 1, 2])
    with pytest.raises(ValueError, match="train-images holds 4 images but train-labels holds 3 labels"):
        data.load_fashion_mnist(tmp_path)


def test_label_out_of_range(tmp_path):
    write_fashion_mnist(tmp_path, num_test=2)
    write_idx(tmp_path / "t10k-labels-idx1-ubyte.gz", [3, 10])
    with pytest.raises(ValueError, match="t10k-labels holds label 10"):
        data.load_fashion_mnist(tmp_path)


def test_class_names():
    assert len(data.FASHION_MNIST_CLASS_NAMES) == 10
    assert data.FASHION_MNIST_CLASS_NAMES[0] == "T-shirt/top"
    assert data.FASHION_MNIST_CLASS_NAMES[9] == "Ankle boot"


@pytest.mark.large
def test_real_fashion_mnist():
    (x_train, y_train), (x_test, y_test) = data.load_fashion_mnist(download=False)
    assert x_train.shape == (60000, 28, 28) and x_test.shape == (10000, 28, 28)
    assert x_train.dtype == np.uint8 and y_train.dtype == np.uint8
    np.testing.assert_array_equal(np.bincount(y_train), [6000] * 10)
    np.testing.assert_array_equal(np.bincount(y_test), [1000] * 10)
    # The first training image is an ankle boot, as in keras.datasets.
    assert y_train[0] == 9
