import os
import pickle

import numpy as np
import pytest

from ssl_zoo import data
from ssl_zoo.testing import archive_files


@pytest.fixture
def no_default_copies(tmp_path, monkeypatch):
    """Empties every default place, so a test sees only the copies it writes."""
    monkeypatch.delenv("SSL_ZOO_DATA", raising=False)
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras_home"))
    return tmp_path


def assert_splits_equal(actual, expected):
    for (x_a, y_a), (x_e, y_e) in zip(actual, expected):
        assert x_a.dtype == np.uint8 and y_a.dtype == np.uint8 and x_a.shape[1:] == (32, 32, 3)
        np.testing.assert_array_equal(x_a, x_e)
        np.testing.assert_array_equal(y_a, y_e)


def test_byte_layout_red_green_blue_planes_row_major(tmp_path):
    # One row of `data` by the CIFAR page: bytes 0..1023 red, 1024..2047 green, 2048.. blue,
    # each plane row-major: byte 1 is the red of row 0, column 1; byte 32 of row 1, column 0.
    row = np.concatenate([np.full(1024, 10), np.full(1024, 20), np.full(1024, 30)]).astype(np.uint8)
    row[1], row[32], row[1024 + 33], row[2048 + 1023] = 201, 202, 203, 204
    folder = tmp_path / "cifar-10-batches-py"
    folder.mkdir()
    for name in [f"data_batch_{i}" for i in range(1, 6)] + ["test_batch"]:
        (folder / name).write_bytes(archive_files.python2_pickle({"labels": [7], "data": row[None]}))
    (x, y), _ = data.load_cifar10(tmp_path)
    assert x.shape == (5, 32, 32, 3) and list(y) == [7] * 5
    image = x[0]
    assert (image[0, 1, 0], image[1, 0, 0], image[1, 1, 1], image[31, 31, 2]) == (201, 202, 203, 204)
    assert (image[0, 0].tolist(), image[5, 9].tolist()) == ([10, 20, 30], [10, 20, 30])


def test_written_batches_read_by_keras_own_reader(tmp_path):
    # An independent reader of the format: Keras' (which cannot look anywhere but its cache).
    from keras.src.datasets.cifar import load_batch

    (x, y), _ = archive_files.write_cifar10(tmp_path, num_train=10)
    planes, labels = load_batch(str(tmp_path / "cifar-10-batches-py" / "data_batch_1"))
    np.testing.assert_array_equal(planes.transpose(0, 2, 3, 1), x[:2])
    assert list(labels) == list(y[:2])


def test_folder_tarball_and_file_give_the_same_images(tmp_path):
    written = archive_files.write_cifar10(tmp_path / "folder", num_train=7, seed=1)
    assert_splits_equal(data.load_cifar10(tmp_path / "folder"), written)
    assert_splits_equal(data.load_cifar10(tmp_path / "folder" / "cifar-10-batches-py"), written)
    packed = archive_files.write_cifar10(tmp_path / "packed", num_train=6, seed=2, tarball=True)
    assert not (tmp_path / "packed" / "cifar-10-batches-py").exists()
    assert_splits_equal(data.load_cifar10(tmp_path / "packed"), packed)
    assert_splits_equal(data.load_cifar10(tmp_path / "packed" / "cifar-10-python.tar.gz"), packed)


def test_lookup_order(no_default_copies, monkeypatch):
    root = no_default_copies
    cache = root / "keras_home" / "datasets"
    keras3 = archive_files.write_cifar10(cache / "cifar-10-batches-py-target", seed=1)
    assert_splits_equal(data.load_cifar10(), keras3)
    older_keras = archive_files.write_cifar10(cache, seed=2)
    assert_splits_equal(data.load_cifar10(), older_keras)
    monkeypatch.setenv("SSL_ZOO_DATA", str(root / "zoo"))
    zoo = archive_files.write_cifar10(root / "zoo", seed=3, tarball=True)
    assert_splits_equal(data.load_cifar10(), zoo)


def test_nothing_found_says_where_to_put_it(no_default_copies, monkeypatch):
    monkeypatch.setenv("SSL_ZOO_DATA", str(no_default_copies / "zoo"))
    with pytest.raises(FileNotFoundError) as info:
        data.load_cifar10()
    message = str(info.value)
    assert "CIFAR-10 was not found" in message and "cifar-10-python.tar.gz" in message
    assert "https://www.cs.toronto.edu/~kriz/cifar.html" in message and "`path`" in message
    for place in ("zoo/cifar-10-batches-py", "keras_home/datasets"):
        assert os.path.join(str(no_default_copies), place) in message
    with pytest.raises(FileNotFoundError, match=r"Received: path='.*nowhere', which does not exist"):
        data.load_cifar10(no_default_copies / "nowhere")


def test_not_a_pickle_names_the_file(tmp_path):
    archive_files.write_cifar10(tmp_path)
    (tmp_path / "cifar-10-batches-py" / "data_batch_3").write_bytes(b"<html>Not found</html>")
    with pytest.raises(ValueError, match=r"data_batch_3 is not a CIFAR batch"):
        data.load_cifar10(tmp_path)


def test_pickle_without_the_expected_keys(tmp_path):
    archive_files.write_cifar10(tmp_path)
    archive_files.write_cifar_batch(tmp_path / "cifar-10-batches-py" / "test_batch", np.zeros((1, 32, 32, 3)), [1],
                                    label_key="fine_labels")
    with pytest.raises(ValueError, match=r"test_batch is not a CIFAR-10 batch: it lacks 'data' or 'labels'"):
        data.load_cifar10(tmp_path)


def test_rows_of_the_wrong_length(tmp_path):
    archive_files.write_cifar10(tmp_path)
    short = {"labels": [1], "data": np.zeros((1, 3071), np.uint8)}
    (tmp_path / "cifar-10-batches-py" / "data_batch_1").write_bytes(archive_files.python2_pickle(short))
    with pytest.raises(ValueError, match=r"data_batch_1 holds 'data' of shape \(1, 3071\)"):
        data.load_cifar10(tmp_path)


def test_labels_and_images_disagree(tmp_path):
    archive_files.write_cifar10(tmp_path)
    (tmp_path / "cifar-10-batches-py" / "data_batch_1").write_bytes(
        archive_files.python2_pickle({"labels": [1, 2], "data": np.zeros((1, 3072), np.uint8)})
    )
    with pytest.raises(ValueError, match=r"data_batch_1 holds 1 images but 2 labels"):
        data.load_cifar10(tmp_path)


class _Exploit:
    def __reduce__(self):
        return (os.remove, (self.target,))


def test_a_pickle_that_runs_code_is_refused_not_run(tmp_path):
    archive_files.write_cifar10(tmp_path)
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    exploit = _Exploit()
    exploit.target = str(victim)
    (tmp_path / "cifar-10-batches-py" / "data_batch_2").write_bytes(pickle.dumps({"data": exploit}, protocol=2))
    with pytest.raises(ValueError, match=r"data_batch_2 is not a CIFAR batch.*refused to load the global"):
        data.load_cifar10(tmp_path)
    assert victim.read_text() == "keep me"


def test_cifar100_fine_and_coarse_labels(tmp_path):
    (x, fine, coarse), (x_test, fine_test, coarse_test) = archive_files.write_cifar100(tmp_path)
    (x_a, y_a), (xt_a, yt_a) = data.load_cifar100(tmp_path)
    np.testing.assert_array_equal(x_a, x)
    np.testing.assert_array_equal(xt_a, x_test)
    assert list(y_a) == list(fine) and list(yt_a) == list(fine_test)
    (_, y_c), (_, yt_c) = data.load_cifar100(tmp_path, label_mode="coarse")
    assert list(y_c) == list(coarse) and list(yt_c) == list(coarse_test)
    with pytest.raises(ValueError, match=r"`label_mode` must be 'fine' or 'coarse'. Received: label_mode='super'"):
        data.load_cifar100(tmp_path, label_mode="super")
    assert len(data.CIFAR100_FINE_CLASS_NAMES) == 100 and len(data.CIFAR100_COARSE_CLASS_NAMES) == 20


def test_cifar10_batches_are_not_cifar100(tmp_path):
    archive_files.write_cifar10(tmp_path)
    with pytest.raises(FileNotFoundError, match="no complete copy of CIFAR-100"):
        data.load_cifar100(tmp_path)


def test_load_images_by_name(no_default_copies, monkeypatch):
    monkeypatch.setenv("SSL_ZOO_DATA", str(no_default_copies / "zoo"))
    (x, y), (x_test, _) = archive_files.write_cifar10(no_default_copies / "zoo", num_train=5, num_test=2)
    (x_l, y_l), (xt_l, _), names = data.load_images("cifar10")
    assert x_l.shape == (5, 32, 32, 3) and y_l.dtype == np.int32 and names[0] == "airplane"
    np.testing.assert_array_equal(x_l, x)
    np.testing.assert_array_equal(xt_l, x_test)
    with pytest.raises(ValueError, match=r"cifar10 images are 32x32. Received: image_size=28"):
        data.load_images("cifar10", image_size=28)
