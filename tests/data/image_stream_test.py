import re
import warnings

import numpy as np
import pytest

from ssl_zoo import data
from ssl_zoo import distribution
from ssl_zoo import models
from ssl_zoo.testing.image_files import write_image
from ssl_zoo.testing.image_files import write_truncated_image
from ssl_zoo.testing.tiny import tiny_backbone


def numbered_folder(root, count, size=(6, 5)):
    """`count` gray PNGs in a flat and a nested folder; image i is filled with the value i."""
    for i in range(count):
        write_image(root / ("nested/deeper" if i % 3 == 0 else "") / f"{i:03d}.png", np.full(size, i))
    return sorted(data.list_image_folder(root)[0])


def values(batches):
    """The fill value of every image of `batches`, in order."""
    return [int(v) for batch in batches for v in np.asarray(batch)[:, 0, 0, 0]]


def take(dataset, count):
    return [np.asarray(b) for b in dataset.take(count)]


def test_one_pass_in_order_equals_the_in_memory_loader(tmp_path):
    for i, (shape, suffix) in enumerate([((9, 7, 3), "png"), ((4, 12, 3), "jpg"), ((5, 5, 3), "bmp"),
                                         ((30, 20, 3), "gif")]):
        rng = np.random.default_rng(i)
        write_image(tmp_path / ("a" if i % 2 else "a/b") / f"{i}.{suffix}", rng.integers(0, 256, shape))
    (tmp_path / "a" / "notes.txt").write_text("not an image")
    expected, _, _ = data.load_image_folder(tmp_path, image_size=(8, 6))
    files, _, _ = data.list_image_folder(tmp_path)
    stream = data.ImageStream(files, image_size=(8, 6))
    assert stream.image_shape == (8, 6, 3) and len(stream) == 4
    (batch,) = take(stream.dataset(batch_size=4, shuffle=False), 1)
    assert batch.dtype == np.uint8
    np.testing.assert_array_equal(batch, expected)
    images, labels = stream.read()
    np.testing.assert_array_equal(images, expected)
    assert labels is None


def test_the_first_files_size_when_no_size_is_given(tmp_path):
    write_image(tmp_path / "a.png", np.full((4, 6), 10))
    write_image(tmp_path / "b.png", np.full((8, 3), 20))
    stream = data.ImageStream(data.list_image_folder(tmp_path)[0], color_mode="grayscale")
    assert stream.image_shape == (4, 6, 1)
    (batch,) = take(stream.dataset(batch_size=2, shuffle=False), 1)
    assert batch.shape == (2, 4, 6, 1) and values([batch]) == [10, 20]


def test_every_pass_is_a_new_permutation_of_the_files(tmp_path):
    files = numbered_folder(tmp_path, 12)
    stream = data.ImageStream(files, color_mode="grayscale")
    assert stream.steps_per_epoch(4) == 3
    passes = np.reshape(values(take(stream.dataset(batch_size=4, seed=3), 9)), (3, 12))
    for order in passes:
        assert sorted(order) == list(range(12))
    assert len({tuple(order) for order in passes}) == 3
    again = np.reshape(values(take(stream.dataset(batch_size=4, seed=3), 9)), (3, 12))
    np.testing.assert_array_equal(again, passes)  # the seed fixes every pass's order


def test_shards_of_one_seed_are_disjoint_and_cover_each_pass(tmp_path):
    files = numbered_folder(tmp_path, 12)
    stream = data.ImageStream(files, color_mode="grayscale")
    shards = [
        np.reshape(values(take(stream.dataset(batch_size=2, seed=5, shard_index=i, shard_count=3), 4)), (2, 4))
        for i in range(3)
    ]
    for p in range(2):
        assert sorted(v for shard in shards for v in shard[p]) == list(range(12))


def test_a_fewer_files_than_a_global_batch_is_one_batch_of_them(tmp_path):
    stream = data.ImageStream(numbered_folder(tmp_path, 5), color_mode="grayscale")
    dataset, steps = distribution.DataParallel().shard_stream(stream, global_batch_size=256, seed=0)
    (batch,) = take(dataset, 1)
    assert steps == 1 and sorted(values([batch])) == list(range(5))


def test_unreadable_files_are_skipped_counted_and_named_once(tmp_path):
    files = numbered_folder(tmp_path, 6)
    write_truncated_image(tmp_path / "cut.jpg", np.random.default_rng(0).integers(0, 256, (32, 32, 3)))
    (tmp_path / "page.png").write_bytes(b"<html>not an image</html>")
    stream = data.ImageStream(sorted(data.list_image_folder(tmp_path)[0]), color_mode="grayscale",
                              root=str(tmp_path))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        got = values(take(stream.dataset(batch_size=3, shuffle=False), 6))  # three passes
    assert sorted(got[:6]) == list(range(6)) and got == got[:6] * 3
    assert sorted(stream.skipped) == sorted(str(tmp_path / n) for n in ("cut.jpg", "page.png"))
    skipped = [w for w in caught if issubclass(w.category, data.SkippedImagesWarning)]
    assert len(skipped) == 1, [str(w.message) for w in caught]
    assert re.search(r"Skipped 2 of 8 image files in .*: (cut\.jpg, page\.png|page\.png, cut\.jpg) \(strict=True",
                     str(skipped[0].message))
    assert len(files) == 6


def test_strict_stops_at_the_first_unreadable_file_naming_it(tmp_path):
    numbered_folder(tmp_path, 3)
    (tmp_path / "zz.jpg").write_bytes(b"not a jpeg")
    stream = data.ImageStream(sorted(data.list_image_folder(tmp_path)[0]), color_mode="grayscale", strict=True)
    with pytest.raises(Exception, match=r"zz\.jpg"):
        take(stream.dataset(batch_size=4, shuffle=False), 1)
    assert isinstance(stream.failure, ValueError)
    assert re.search(r"Could not read image file .*zz\.jpg", str(stream.failure))


def test_a_shard_without_a_readable_file_is_an_error_not_an_endless_pass(tmp_path):
    write_image(tmp_path / "a.png", np.full((2, 2), 1))
    (tmp_path / "b.png").write_bytes(b"")
    stream = data.ImageStream([str(tmp_path / "a.png"), str(tmp_path / "b.png")], color_mode="grayscale")
    with pytest.raises(Exception, match="No readable images in a pass over this shard"):
        take(stream.dataset(batch_size=1, shuffle=False, shard_index=1, shard_count=2), 1)


def test_bad_input_is_refused_with_the_argument_named(tmp_path):
    files = numbered_folder(tmp_path, 2)
    for kwargs, message in [
        ({"image_size": 0}, r"`image_size` must be None, a positive int .* image_size=0"),
        ({"color_mode": "cmyk"}, r"`color_mode` must be one of .* color_mode='cmyk'"),
        ({"workers": 0}, r"`workers` must be None or an int >= 1. Received: workers=0"),
        ({"labels": np.zeros(3, np.int32)}, r"one label per file \(2\). Received: 3 labels"),
    ]:
        with pytest.raises(ValueError, match=message):
            data.ImageStream(files, **kwargs)
    with pytest.raises(ValueError, match=r"at least one image file.*files=\[\]"):
        data.ImageStream([])
    (tmp_path / "x.jpg").write_bytes(b"")
    with pytest.raises(ValueError, match=r"No readable images: all 1 image files failed, e.g. .*x\.jpg"):
        data.ImageStream([str(tmp_path / "x.jpg")])
    stream = data.ImageStream(files)
    with pytest.raises(ValueError, match=r"2 image files make no whole batch of batch_size=3"):
        stream.steps_per_epoch(3)
    with pytest.raises(ValueError, match=r"`shard_index` must be in \[0, shard_count=2\). Received: shard_index=2"):
        stream.dataset(1, shard_index=2, shard_count=2)


def test_open_image_folder_splits_files_as_load_images_splits_images(tmp_path):
    for c, name in enumerate(("cat", "dog")):
        for i in range(5):
            write_image(tmp_path / name / f"{i}.png", np.full((3, 3), 10 * c + i))
    (x_train, y_train), (x_test, y_test), names = data.load_images(str(tmp_path), color_mode="grayscale")
    train, test, stream_names = data.open_image_folder(str(tmp_path), color_mode="grayscale")
    assert stream_names == names == ["cat", "dog"]
    for stream, x, y in ((train, x_train, y_train), (test, x_test, y_test)):
        images, labels = stream.read()
        np.testing.assert_array_equal(images, x)
        np.testing.assert_array_equal(labels, y)
    write_image(tmp_path / "loose.png", np.full((3, 3), 0))  # now unlabeled: every file trains
    train, test, names = data.open_image_folder(str(tmp_path))
    assert (len(train), test, names, train.labels) == (11, None, None, None)


def test_fit_reads_a_stream_on_this_backend(tmp_path):
    numbered_folder(tmp_path, 8, size=(16, 16))
    train, _, _ = data.open_image_folder(str(tmp_path), color_mode="grayscale")
    task = models.SimCLR(tiny_backbone(train.image_shape))
    task.compile()
    history = task.fit(train.dataset(batch_size=4), steps_per_epoch=train.steps_per_epoch(4), epochs=2,
                       shuffle=False, verbose=0)
    assert len(history.history["loss"]) == 2 and np.all(np.isfinite(history.history["loss"]))
