import numpy as np
import pytest

from ssl_zoo import data


def test_deterministic_given_seed():
    first = data.load_synthetic_images(num_images=60, image_size=12, seed=7)
    second = data.load_synthetic_images(num_images=60, image_size=12, seed=7)
    other = data.load_synthetic_images(num_images=60, image_size=12, seed=8)
    for (x_a, y_a), (x_b, y_b) in zip(first, second):
        np.testing.assert_array_equal(x_a, x_b)
        np.testing.assert_array_equal(y_a, y_b)
    assert not np.array_equal(first[0][0], other[0][0])


@pytest.mark.parametrize("channels", [1, 3])
def test_shapes_dtypes_and_range(channels):
    (x, y), (x_test, y_test) = data.load_synthetic_images(
        num_images=50, image_size=10, channels=channels, num_classes=5, test_fraction=0.2
    )
    assert x.shape == (40, 10, 10, channels) and x_test.shape == (10, 10, 10, channels)
    assert x.dtype == np.uint8 and y.dtype == np.int32
    assert y.shape == (40,) and y_test.shape == (10,)
    assert set(np.unique(np.concatenate([y, y_test]))) == set(range(5))
    # A bright shape on a dark, noisy background.
    assert x.max() > 200 and np.median(x) < 40


def test_labels_balanced_in_each_split():
    (x, y), (x_test, y_test) = data.load_synthetic_images(num_images=1000, image_size=8)
    np.testing.assert_array_equal(np.bincount(y), [80] * 10)
    np.testing.assert_array_equal(np.bincount(y_test), [20] * 10)
    (_, y), (_, y_test) = data.load_synthetic_images(num_images=23, image_size=8, num_classes=4, test_fraction=0)
    np.testing.assert_array_equal(np.bincount(y), [6, 6, 6, 5])
    assert y_test.shape == (0,)


def test_classes_are_learnable_from_pixels():
    # A ridge-regression classifier on raw pixels reaches far above chance (0.1): the label is
    # in the image. (A model that also handles translation, as SSL encoders do, does better.)
    (x, y), (x_test, y_test) = data.load_synthetic_images(num_images=1000, image_size=16)
    features = lambda images: np.c_[images.reshape(len(images), -1) / 255.0, np.ones(len(images))]
    train = features(x)
    weights = np.linalg.solve(train.T @ train + np.eye(train.shape[1]), train.T @ np.eye(10)[y])
    accuracy = np.mean(np.argmax(features(x_test) @ weights, axis=1) == y_test)
    assert accuracy > 0.4


def test_class_names():
    assert len(data.SYNTHETIC_CLASS_NAMES) == 10 == len(set(data.SYNTHETIC_CLASS_NAMES))


def test_numpy_int_arguments():
    (x, y), (x_test, _) = data.load_synthetic_images(
        num_images=np.int64(10), image_size=np.int32(8), num_classes=np.int64(2), test_fraction=0.2
    )
    assert x.shape[1:] == (8, 8, 1) and len(x) + len(x_test) == 10 and set(y) == {0, 1}


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"num_images": 1}, r"num_images=1"),
        ({"image_size": 4}, r"image_size=4"),
        ({"channels": 2}, r"channels=2"),
        ({"num_classes": 11}, r"from 2 to 10 .* num_classes=11"),
        ({"test_fraction": 1.0}, r"test_fraction=1.0"),
    ],
)
def test_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        data.load_synthetic_images(**kwargs)
