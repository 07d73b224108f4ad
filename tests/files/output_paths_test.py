import os
import pathlib

from ssl_zoo import files
from ssl_zoo.testing.test_case import TestCase


def write(path, text="user data"):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


class CheckPresetDirTest(TestCase):
    def setUp(self):
        super().setUp()
        self.folder = self.get_temp_dir()
        cwd = os.getcwd()
        self.addCleanup(os.chdir, cwd)

    def assertRefused(self, path, message, argument="preset_dir"):
        before = sorted(os.walk(self.folder))
        with self.assertRaisesRegex(ValueError, message):
            files.check_preset_dir(path, argument)
        self.assertEqual(sorted(os.walk(self.folder)), before)

    def test_new_empty_and_preset_folders_may_be_written(self):
        self.assertEqual(files.check_preset_dir(os.path.join(self.folder, "new", "preset")),
                         os.path.join(self.folder, "new", "preset"))
        os.makedirs(os.path.join(self.folder, "empty"))
        files.check_preset_dir(os.path.join(self.folder, "empty"))
        preset = os.path.join(self.folder, "preset")
        for name in ("config.json", "metadata.json", "task.json", "model.weights.h5",
                     "model_00001.weights.h5", "model.weights.json", "assets/tokenizer/vocabulary.txt"):
            write(os.path.join(preset, name))
        self.assertEqual(files.check_preset_dir(pathlib.Path(preset)), preset)

    def test_a_file_is_refused(self):
        path = os.path.join(self.folder, "notes.txt")
        write(path)
        self.assertRefused(path, r"preset_dir='.*notes.txt' is a file, not a preset folder")

    def test_a_folder_of_user_files_is_refused(self):
        path = os.path.join(self.folder, "photos")
        for name in ("config.json", "a.jpg", "b.jpg", "c.jpg", "d.jpg"):
            write(os.path.join(path, name))
        self.assertRefused(path, r"--out '.*photos' is a folder that is not a preset \(it holds a.jpg, b.jpg, "
                           r"c.jpg, \.\.\.\); replacing it would delete them", argument="--out")

    def test_the_current_folder_and_its_parents_are_refused(self):
        os.makedirs(os.path.join(self.folder, "work", "here"))
        os.chdir(os.path.join(self.folder, "work", "here"))
        for path in (".", os.getcwd(), "..", os.path.join(self.folder, "work")):
            self.assertRefused(path, "is the current folder or holds it")

    def test_an_empty_path_is_refused(self):
        for path in ("", "  ", None):
            self.assertRefused(path, "--out must name a preset folder. Received: --out", argument="--out")

    def test_a_place_that_cannot_be_written_is_refused(self):
        self.assertRefused("/sys/ssl_zoo_preset", r"'/sys/ssl_zoo_preset' cannot be written \(.* in /sys\)")
        path = os.path.join(self.folder, "file")
        write(path)
        self.assertRefused(os.path.join(path, "preset"), "cannot be written: .*file is a file")


class CheckFileAndFolderTest(TestCase):
    def test_check_file(self):
        folder = self.get_temp_dir()
        self.assertEqual(files.check_file(os.path.join(folder, "a", "r.png"), "--reconstructions"),
                         os.path.join(folder, "a", "r.png"))
        with self.assertRaisesRegex(ValueError, r"--reconstructions '.*' is a folder. Name a file to write."):
            files.check_file(folder, "--reconstructions")
        with self.assertRaisesRegex(ValueError, "cannot be written"):
            files.check_file("/sys/r.png", "--reconstructions")
        self.assertEqual(os.listdir(folder), [])

    def test_check_folder(self):
        folder = self.get_temp_dir()
        self.assertEqual(files.check_folder(folder, "--out"), folder)
        path = os.path.join(folder, "report")
        write(path)
        with self.assertRaisesRegex(ValueError, r"--out '.*report' is a file. Name a folder"):
            files.check_folder(path, "--out")
        with self.assertRaisesRegex(ValueError, "cannot be written"):
            files.check_folder("/sys/report", "--out")
        self.assertEqual(os.listdir(folder), ["report"])
