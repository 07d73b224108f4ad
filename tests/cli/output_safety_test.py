"""Output paths are checked before any work: a user's files are never replaced."""

import io
import os
import subprocess
import sys
from unittest import mock

from ssl_zoo.cli import main
from ssl_zoo.testing.test_case import TestCase

TINY = ["--data", "synthetic", "--limit", "32", "--batch-size", "16", "--knn-every", "0"]


def snapshot(folder):
    """Every path under `folder` with its bytes: what must survive a refused command."""
    found = {}
    for root, dirs, names in os.walk(folder):
        for name in dirs:
            found[os.path.join(root, name)] = None
        for name in names:
            with open(os.path.join(root, name), "rb") as f:
                found[os.path.join(root, name)] = f.read()
    return found


class OutputSafetyTest(TestCase):
    def setUp(self):
        super().setUp()
        self.folder = self.get_temp_dir()
        self.photos = os.path.join(self.folder, "photos")
        os.makedirs(self.photos)
        for name in ("cat.jpg", "dog.jpg", "config.json"):
            with open(os.path.join(self.photos, name), "wb") as f:
                f.write(name.encode())
        self.notes = os.path.join(self.folder, "notes.txt")
        with open(self.notes, "w") as f:
            f.write("keep me")
        cwd = os.getcwd()
        self.addCleanup(os.chdir, cwd)

    def assertRefused(self, argv, message, cwd=None):
        os.chdir(cwd or self.folder)
        before = snapshot(self.folder)
        with mock.patch("sys.stderr", new_callable=io.StringIO) as stderr, mock.patch("sys.stdout", new_callable=io.StringIO):
            code = main.main(argv)
        self.assertEqual(code, 1, stderr.getvalue())
        self.assertIn(message, stderr.getvalue())
        self.assertEqual(stderr.getvalue().count("\n"), 1)
        self.assertEqual(snapshot(self.folder), before)

    def test_pretrain_out_never_replaces_what_is_not_a_preset(self):
        cases = [
            (self.notes, "is a file, not a preset folder"),
            (self.photos, "is a folder that is not a preset (it holds cat.jpg, dog.jpg)"),
            (".", "--out '.' is the current folder or holds it"),
            ("", "--out must name a preset folder. Received: --out ''"),
            (self.folder, "is the current folder or holds it"),
            ("/sys/ssl_zoo_out", "--out '/sys/ssl_zoo_out' cannot be written"),
            (os.path.join(self.notes, "preset"), "cannot be written"),
        ]
        for out, message in cases:
            self.assertRefused(["pretrain", "simclr", *TINY, "--out", out], message)
        os.chdir(self.photos)
        self.assertRefused(["pretrain", "simclr", *TINY, "--out", ".."], "is the current folder or holds it")

    def test_other_outputs_are_checked_before_training(self):
        out = os.path.join(self.folder, "new_preset")
        cases = [
            (["pretrain", "autoencoder", *TINY, "--out", out, "--reconstructions", self.photos],
             f"--reconstructions '{self.photos}' is a folder. Name a file to write."),
            (["pretrain", "simclr", *TINY, "--out", out, "--checkpoint-dir", self.notes],
             f"--checkpoint-dir '{self.notes}' is a file."),
            (["report", "label-efficiency", "simclr_resnet_fashion_mnist", "--data", "synthetic", "--out", self.notes],
             f"--out '{self.notes}' is a file. Name a folder"),
            (["pretrain", "rotnet", *TINY, "--out", out, "--temperature", "0.1"],
             "--temperature applies to mocov2, mocov3, simclr only. Received: pretrain rotnet --temperature 0.1"),
            (["pretrain", "simclr", *TINY, "--out", out, "--vocabulary-size", "100"],
             "--vocabulary-size applies to mlm only"),
            (["pretrain", "simclr", *TINY, "--out", "simclr_resnet_fashion_mnist"],
             "--out 'simclr_resnet_fashion_mnist' is the name of a built-in preset"),
        ]
        for argv, message in cases:
            self.assertRefused(argv, message)

    def test_a_local_folder_named_like_a_built_in_preset_is_ambiguous(self):
        os.chdir(self.folder)
        os.makedirs("simclr_resnet_fashion_mnist")
        self.assertRefused(["evaluate", "simclr_resnet_fashion_mnist", "--data", "synthetic"],
                           "'simclr_resnet_fashion_mnist' is both a built-in preset and a folder here. Pass "
                           "./simclr_resnet_fashion_mnist for the folder")

    def test_an_unset_shell_variable_as_out_exits_non_zero_and_keeps_the_folder(self):
        os.chdir(self.photos)
        before = snapshot(self.folder)
        result = subprocess.run([sys.executable, "-m", "ssl_zoo", "pretrain", "simclr", *TINY, "--out", ""],
                                capture_output=True, text=True)
        self.assertEqual(result.returncode, 1)
        self.assertEqual(result.stderr.strip(),
                         "ssl-zoo pretrain: error: --out must name a preset folder. Received: --out ''")
        self.assertEqual(snapshot(self.folder), before)
