import os

import numpy as np
from PIL import Image

from ssl_zoo import data
from ssl_zoo.testing.test_case import TestCase


class LoadImagesTest(TestCase):
    def test_synthetic_split_and_names(self):
        (x, y), (x_test, y_test), names = data.load_images("synthetic", image_size=16, test_fraction=0.2)
        self.assertEqual(x.shape[1:], (16, 16, 1))
        self.assertEqual(len(x) + len(x_test), 1000)
        self.assertEqual(len(x_test), 200)
        self.assertEqual(names, list(data.SYNTHETIC_CLASS_NAMES))
        self.assertEqual(x.dtype, np.uint8)

    def test_folder_is_split_per_class_deterministically(self):
        root = self.get_temp_dir()
        for label, name in enumerate(["cat", "dog"]):
            os.makedirs(os.path.join(root, name))
            for i in range(10):
                pixels = np.full((4, 4, 3), 10 * i + label, np.uint8)
                Image.fromarray(pixels).save(os.path.join(root, name, f"{i}.png"))
        (x, y), (x_test, y_test), names = data.load_images(root, test_fraction=0.3, seed=1)
        self.assertEqual(names, ["cat", "dog"])
        self.assertEqual(np.bincount(y_test).tolist(), [3, 3])
        self.assertEqual(np.bincount(y).tolist(), [7, 7])
        # Every image lands in exactly one split, with its own label.
        values = sorted(np.concatenate([x[:, 0, 0, 0], x_test[:, 0, 0, 0]]).tolist())
        self.assertEqual(values, sorted(10 * i + l for i in range(10) for l in range(2)))
        np.testing.assert_array_equal(np.concatenate([x, x_test])[:, 0, 0, 0] % 10, np.concatenate([y, y_test]))
        (x2, _), _, _ = data.load_images(root, test_fraction=0.3, seed=1)
        np.testing.assert_array_equal(x, x2)

    def test_unlabeled_folder_trains_on_every_image(self):
        root = self.get_temp_dir()
        for i in range(5):
            Image.fromarray(np.full((4, 4, 3), i, np.uint8)).save(os.path.join(root, f"{i}.png"))
        (x, y), (x_test, y_test), names = data.load_images(root, test_fraction=0.3)
        self.assertEqual(sorted(x[:, 0, 0, 0].tolist()), [0, 1, 2, 3, 4])
        self.assertEqual((y, y_test, names, x_test.shape), (None, None, None, (0, 4, 4, 3)))

    def test_errors(self):
        with self.assertRaisesRegex(ValueError, "Unknown image data '/no/such/folder'"):
            data.load_images("/no/such/folder")
        with self.assertRaisesRegex(ValueError, "is a text data set"):
            data.load_images("wordnet")
        with self.assertRaisesRegex(ValueError, "fashion_mnist images are 28x28. Received: image_size=32"):
            data.load_images("fashion_mnist", image_size=32)
