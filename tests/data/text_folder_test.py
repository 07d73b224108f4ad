import os

import numpy as np

from ssl_zoo import data
from ssl_zoo.testing.test_case import TestCase


def write(path, content):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(content)


class LoadTextFolderTest(TestCase):
    def test_class_sub_folders(self):
        root = self.get_temp_dir()
        write(os.path.join(root, "b_sports", "1.txt"), "a goal\n")
        write(os.path.join(root, "a_science", "2.txt"), "an atom")
        write(os.path.join(root, "a_science", "deep", "3.txt"), "a cell")
        write(os.path.join(root, "a_science", "4.txt"), "   \n")  # blank: skipped
        write(os.path.join(root, "a_science", "notes.md"), "not text")
        write(os.path.join(root, "top.txt"), "ignored beside class folders")
        texts, labels, names = data.load_text_folder(root)
        self.assertEqual(names, ["a_science", "b_sports"])
        self.assertEqual(texts, ["an atom", "a cell", "a goal"])
        np.testing.assert_array_equal(labels, [0, 0, 1])

    def test_unlabeled_files_split_into_lines(self):
        root = self.get_temp_dir()
        write(os.path.join(root, "b.txt"), "third\n")
        write(os.path.join(root, "a.txt"), "first\n\nsecond\n")
        texts, labels, names = data.load_text_folder(root, lines=True)
        self.assertEqual((texts, labels, names), (["first", "second", "third"], None, []))
        texts, _, _ = data.load_text_folder(root)
        self.assertEqual(texts, ["first\n\nsecond", "third"])

    def test_errors(self):
        with self.assertRaisesRegex(FileNotFoundError, "directory='/no/such'"):
            data.load_text_folder("/no/such")
        with self.assertRaisesRegex(ValueError, "holds no non-empty .txt file"):
            data.load_text_folder(self.get_temp_dir())
