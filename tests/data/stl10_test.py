import os

import numpy as np
import pytest

from ssl_zoo import data
from ssl_zoo.testing import archive_files


def test_byte_layout_planes_in_column_major_order(tmp_path):
    # By the STL-10 page: an image is its red, green and blue planes, each 96x96 column-major,
    # so byte k of the red plane is row k % 96, column k // 96.
    folder = tmp_path / "stl10_binary"
    folder.mkdir()
    image = np.zeros(3 * 96 * 96, np.uint8)
    image[1], image[96], image[96 * 96 + 97], image[2 * 96 * 96 + 95] = 201, 202, 203, 204
    for split in ("train", "test"):
        image.tofile(folder / f"{split}_X.bin")
        np.array([10], np.uint8).tofile(folder / f"{split}_y.bin")
    (x, y), _ = data.load_stl10(tmp_path)
    assert x.shape == (1, 96, 96, 3) and list(y) == [9]
    assert (x[0, 1, 0, 0], x[0, 0, 1, 0], x[0, 1, 1, 1], x[0, 95, 0, 2]) == (201, 202, 203, 204)
    assert int(x.sum()) == 201 + 202 + 203 + 204


def test_labeled_and_unlabeled_splits(tmp_path):
    (x, y), (x_test, y_test), unlabeled = archive_files.write_stl10(tmp_path, seed=3)
    (x_l, y_l), (xt_l, yt_l) = data.load_stl10(tmp_path / "stl10_binary")
    for actual, expected in ((x_l, x), (y_l, y), (xt_l, x_test), (yt_l, y_test)):
        np.testing.assert_array_equal(actual, expected)
    assert y_l.dtype == np.uint8 and y_l.min() >= 0 and y_l.max() <= 9
    u = data.load_stl10_unlabeled(tmp_path)
    np.testing.assert_array_equal(u, unlabeled)
    # Mapped from the file, not read into memory, and read-only.
    assert isinstance(u.base, np.memmap) and not u.flags.writeable


def test_found_in_ssl_zoo_data(tmp_path, monkeypatch):
    monkeypatch.setenv("SSL_ZOO_DATA", str(tmp_path))
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras_home"))
    written = archive_files.write_stl10(tmp_path)
    (x, y), (x_test, y_test), names = data.load_images("stl10")
    assert x.shape == (3, 96, 96, 3) and y.dtype == np.int32 and names[0] == "airplane"
    np.testing.assert_array_equal(x, written[0][0])


def test_not_found_says_what_to_extract(tmp_path, monkeypatch):
    monkeypatch.delenv("SSL_ZOO_DATA", raising=False)
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras_home"))
    with pytest.raises(FileNotFoundError, match=r"STL-10 was not found. Download stl10_binary.tar.gz"):
        data.load_stl10()


def test_a_missing_file_is_named(tmp_path):
    archive_files.write_stl10(tmp_path)
    os.remove(tmp_path / "stl10_binary" / "test_y.bin")
    with pytest.raises(FileNotFoundError, match=r"no complete copy of STL-10: missing test_y.bin"):
        data.load_stl10(tmp_path)


def test_wrong_byte_length(tmp_path):
    archive_files.write_stl10(tmp_path)
    images = tmp_path / "stl10_binary" / "train_X.bin"
    images.write_bytes(images.read_bytes()[:-5])
    with pytest.raises(ValueError, match=r"train_X.bin holds 82939 bytes, not a whole number of STL-10 images"):
        data.load_stl10(tmp_path)


def test_labels_disagree_with_images(tmp_path):
    archive_files.write_stl10(tmp_path, num_train=3)
    np.array([1, 2], np.uint8).tofile(tmp_path / "stl10_binary" / "train_y.bin")
    with pytest.raises(ValueError, match=r"train_y.bin holds 2 labels but train_X.bin holds 3 images"):
        data.load_stl10(tmp_path)


def test_label_outside_one_to_ten(tmp_path):
    archive_files.write_stl10(tmp_path, num_test=2)
    np.array([3, 0], np.uint8).tofile(tmp_path / "stl10_binary" / "test_y.bin")
    with pytest.raises(ValueError, match=r"test_y.bin holds label 0; STL-10 labels are 1..10"):
        data.load_stl10(tmp_path)
