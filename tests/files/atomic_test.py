import os
import stat

from ssl_zoo import files
from ssl_zoo.testing.test_case import TestCase


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


class AtomicWritesTest(TestCase):
    def with_umask(self, mask):
        previous = os.umask(mask)
        self.addCleanup(os.umask, previous)

    def test_files_and_folders_get_the_umask_permissions(self):
        folder = self.get_temp_dir()
        for mask in (0o022, 0o002, 0o077):
            self.with_umask(mask)
            path = os.path.join(folder, f"file_{mask:o}.json")
            files.write_file(path, lambda f: f.write(b"{}"))
            self.assertEqual(mode(path), 0o666 & ~mask)
            preset = os.path.join(folder, f"preset_{mask:o}")
            files.write_folder(preset, lambda tmp: open(os.path.join(tmp, "config.json"), "w").close())
            self.assertEqual(mode(preset), 0o777 & ~mask)
            self.assertEqual(files.atomic.umask(), mask)

    def test_a_failed_write_leaves_the_old_file_and_no_temporary(self):
        folder = self.get_temp_dir()
        path = os.path.join(folder, "metrics.json")
        files.write_file(path, lambda f: f.write(b"old"))

        def broken(f):
            f.write(b"half")
            raise OSError("disk full")

        with self.assertRaisesRegex(OSError, "disk full"):
            files.write_file(path, broken)
        with open(path, "rb") as f:
            self.assertEqual(f.read(), b"old")
        self.assertEqual(os.listdir(folder), ["metrics.json"])

    def test_named_file_keeps_the_compound_suffix(self):
        folder = self.get_temp_dir()
        seen = []
        files.write_named_file(os.path.join(folder, "epoch_3.weights.h5"), seen.append)
        self.assertTrue(os.path.basename(seen[0]).endswith(".weights.h5"))
        self.assertEqual(os.listdir(folder), ["epoch_3.weights.h5"])
