import re

import numpy as np
import pytest
from PIL import Image

from ssl_zoo import data
from ssl_zoo.testing.image_files import write_image
from ssl_zoo.testing.image_files import write_truncated_image


def pattern(value, height=4, width=5):
    return np.arange(height * width, dtype=np.uint8).reshape(height, width) + value


def test_round_trip_grayscale_png(tmp_path):
    write_image(tmp_path / "dog" / "b.png", pattern(100))
    write_image(tmp_path / "cat" / "z.png", pattern(10))
    write_image(tmp_path / "cat" / "a.png", pattern(0))
    write_image(tmp_path / "cat" / "nested" / "c.png", pattern(50))
    (tmp_path / "cat" / "notes.txt").write_text("not an image")
    images, labels, class_names = data.load_image_folder(tmp_path, color_mode="grayscale")
    assert class_names == ["cat", "dog"]
    assert images.dtype == np.uint8 and images.shape == (4, 4, 5, 1)
    assert labels.dtype == np.int32
    np.testing.assert_array_equal(labels, [0, 0, 0, 1])
    # Sorted files, then sorted sub-folders (os.walk order): a.png, z.png, nested/c.png.
    expected = np.stack([pattern(0), pattern(10), pattern(50), pattern(100)])[..., None]
    np.testing.assert_array_equal(images, expected)


def test_rgb_bmp_and_jpeg_extensions(tmp_path):
    rgb = np.zeros((3, 3, 3), dtype=np.uint8)
    rgb[..., 0], rgb[..., 2] = 255, 7
    write_image(tmp_path / "red" / "x.BMP", rgb)
    write_image(tmp_path / "red" / "y.jpeg", np.full((3, 3, 3), 128))
    images, labels, _ = data.load_image_folder(tmp_path)
    assert images.shape == (2, 3, 3, 3)
    np.testing.assert_array_equal(images[0], rgb)
    # JPEG is lossy; a flat image stays close.
    assert np.abs(images[1].astype(int) - 128).max() <= 2
    gray, _, _ = data.load_image_folder(tmp_path, color_mode="grayscale")
    # PIL's L = (299 R + 587 G + 114 B) / 1000.
    assert gray[0, 0, 0, 0] == round(0.299 * 255 + 0.114 * 7)


def test_resize_to_image_size(tmp_path):
    write_image(tmp_path / "a" / "small.png", np.full((4, 6), 9))
    write_image(tmp_path / "b" / "big.png", np.full((10, 3), 200))
    images, labels, _ = data.load_image_folder(tmp_path, image_size=(5, 7), color_mode="grayscale")
    assert images.shape == (2, 5, 7, 1)
    np.testing.assert_array_equal(images[0], 9)
    np.testing.assert_array_equal(images[1], 200)
    square, _, _ = data.load_image_folder(tmp_path, image_size=8)
    assert square.shape == (2, 8, 8, 3)


def test_mixed_sizes_suggest_image_size(tmp_path):
    write_image(tmp_path / "a" / "small.png", np.zeros((4, 6)))
    write_image(tmp_path / "b" / "big.png", np.zeros((10, 3)))
    with pytest.raises(ValueError, match=r"different sizes .*small\.png.*Pass image_size=\(height, width\)"):
        data.load_image_folder(tmp_path)


def test_class_names_argument_selects_and_orders(tmp_path):
    for name in ("a", "b", "c"):
        write_image(tmp_path / name / "1.png", np.full((2, 2), ord(name)))
    images, labels, class_names = data.load_image_folder(tmp_path, class_names=["c", "a"])
    assert class_names == ["c", "a"]
    np.testing.assert_array_equal(labels, [0, 1])
    np.testing.assert_array_equal(images[:, 0, 0, 0], [ord("c"), ord("a")])
    with pytest.raises(ValueError, match=r"\['d'\], which are not sub-folders"):
        data.load_image_folder(tmp_path, class_names=["a", "d"])


def test_missing_directory_names_argument(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"Received: directory='.*absent', which does not exist"):
        data.load_image_folder(str(tmp_path / "absent"))


def test_flat_and_nested_folders_are_unlabeled(tmp_path):
    write_image(tmp_path / "b.png", pattern(2))
    write_image(tmp_path / "a.png", pattern(1))
    write_image(tmp_path / "2024" / "june" / "c.png", pattern(3))
    write_image(tmp_path / "2023" / "d.png", pattern(4))
    (tmp_path / "notes.txt").write_text("not an image")
    images, labels, class_names = data.load_image_folder(tmp_path, color_mode="grayscale")
    assert labels is None and class_names is None
    # Loose images make the folder unlabeled, class-like sub-folders or not. Sorted: loose
    # files first, then the sub-folders by name, recursively.
    assert [int(image[0, 0, 0]) for image in images] == [1, 2, 4, 3]


def test_one_class_folder_is_unlabeled(tmp_path):
    write_image(tmp_path / "photos" / "a.png", pattern(1))
    write_image(tmp_path / "photos" / "b.png", pattern(2))
    images, labels, class_names = data.load_image_folder(tmp_path)
    assert len(images) == 2 and labels is None and class_names is None


def test_labels_none_ignores_class_folders(tmp_path):
    write_image(tmp_path / "cat" / "a.png", pattern(1))
    write_image(tmp_path / "dog" / "b.png", pattern(2))
    _, labels, _ = data.load_image_folder(tmp_path)
    assert list(labels) == [0, 1]
    images, labels, class_names = data.load_image_folder(tmp_path, labels=None)
    assert len(images) == 2 and labels is None and class_names is None
    with pytest.raises(ValueError, match=r"`labels` must be 'inferred' or None. Received: labels='folders'"):
        data.load_image_folder(tmp_path, labels="folders")


def test_no_images_anywhere_explains(tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "readme.txt").write_text("hi")
    with pytest.raises(ValueError, match=r"No images in directory=.* or its sub-folders. Expected files ending in"):
        data.load_image_folder(tmp_path)


def test_no_images_in_class_folders_explains_layout(tmp_path):
    (tmp_path / "cat").mkdir()
    (tmp_path / "cat" / "readme.txt").write_text("hi")
    with pytest.raises(ValueError, match=r"No images in the class sub-folders \['cat'\].*\.png"):
        data.load_image_folder(tmp_path, class_names=["cat"])


def test_unreadable_files_are_left_out_with_one_warning_or_raise_when_strict(tmp_path):
    write_image(tmp_path / "cat" / "good.png", np.full((2, 2), 7))
    write_image(tmp_path / "dog" / "good.png", np.full((2, 2), 9))
    (tmp_path / "cat" / "broken.jpg").write_bytes(b"not really a jpeg")
    write_truncated_image(tmp_path / "dog" / "cut.png", np.random.default_rng(0).integers(0, 256, (32, 32)))
    with pytest.warns(data.SkippedImagesWarning) as caught:
        images, labels, _ = data.load_image_folder(tmp_path, color_mode="grayscale")
    assert len(caught) == 1
    assert re.search(r"Skipped 2 of 4 image files in .* cat/broken\.jpg, dog/cut\.png \(strict=True", str(caught[0].message))
    assert images[:, 0, 0, 0].tolist() == [7, 9] and labels.tolist() == [0, 1]
    with pytest.raises(ValueError, match=r"Could not read image file .*broken\.jpg"):
        data.load_image_folder(tmp_path, strict=True)


def test_only_unreadable_files_is_an_error_naming_one(tmp_path):
    (tmp_path / "a.jpg").write_bytes(b"<html>")
    (tmp_path / "b.png").write_bytes(b"")
    with pytest.raises(ValueError, match=r"No readable images in directory=.*: all 2 image files failed, e.g. Could not read image file .*a\.jpg"):
        data.load_image_folder(tmp_path)


def test_gif_first_frame(tmp_path):
    frames = [Image.fromarray(np.full((3, 3), v, dtype=np.uint8)) for v in (40, 220)]
    (tmp_path / "anim").mkdir()
    frames[0].save(tmp_path / "anim" / "a.gif", save_all=True, append_images=frames[1:])
    images, _, _ = data.load_image_folder(tmp_path, color_mode="grayscale")
    np.testing.assert_array_equal(images, np.full((1, 3, 3, 1), 40))


def test_bad_arguments(tmp_path):
    write_image(tmp_path / "cat" / "good.png", np.zeros((2, 2)))
    with pytest.raises(ValueError, match=r"color_mode='cmyk'"):
        data.load_image_folder(tmp_path, color_mode="cmyk")
    with pytest.raises(ValueError, match=r"image_size=\(0, 4\)"):
        data.load_image_folder(tmp_path, image_size=(0, 4))


def test_image_size_must_be_ints(tmp_path):
    write_image(tmp_path / "cat" / "a.png", pattern(0))
    for image_size in (28.0, "28", (28.0, 28), True):
        with pytest.raises(ValueError, match=r"`image_size` must be None, a positive int .* Received: image_size=" + re.escape(repr(image_size))):
            data.load_image_folder(tmp_path, image_size=image_size)
    for image_size in (np.int64(6), (np.int32(6), 6), np.array([6, 6])):
        images, _, _ = data.load_image_folder(tmp_path, image_size=image_size)
        assert images.shape == (1, 6, 6, 3)
