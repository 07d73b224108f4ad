"""Ctrl-C and SIGTERM stop `ssl-zoo pretrain` within a step on every backend, losing nothing."""

import os
import re
import signal
import subprocess
import sys
import threading
import time

from ssl_zoo.testing.test_case import TestCase

TRAIN = ["--data", "synthetic", "--limit", "256", "--batch-size", "32", "--knn-every", "0"]


class Run:
    """`python -m ssl_zoo ARGS` in the background, its output read line by line as it comes."""

    def __init__(self, *argv):
        env = dict(os.environ, PYTHONUNBUFFERED="1")
        self.process = subprocess.Popen([sys.executable, "-m", "ssl_zoo", *argv], stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, text=True, env=env)
        self.lines = []
        self.reader = threading.Thread(target=lambda: self.lines.extend(self.process.stdout), daemon=True)
        self.reader.start()

    def wait_for(self, condition, timeout=240):
        deadline = time.monotonic() + timeout
        while not condition():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError("never reached; output:\n" + "".join(self.lines))
            time.sleep(0.1)

    def stop(self, signum):
        """Send `signum`; `(exit code, seconds it took to exit)`."""
        start = time.monotonic()
        self.process.send_signal(signum)
        code = self.process.wait(timeout=60)
        self.reader.join(timeout=10)
        return code, time.monotonic() - start

    @property
    def output(self):
        return "".join(self.lines)


class InterruptTest(TestCase):
    def test_sigint_mid_epoch_keeps_the_backup_and_the_rerun_resumes(self):
        folder = self.get_temp_dir()
        out, backup = os.path.join(folder, "preset"), os.path.join(folder, "backup")
        run = Run("pretrain", "simclr", *TRAIN, "--epochs", "50", "--out", out, "--checkpoint-dir", backup)
        run.wait_for(lambda: "Epoch 2/50" in run.output and os.path.isdir(backup) and os.listdir(backup))
        time.sleep(0.5)  # inside epoch 2
        code, seconds = run.stop(signal.SIGINT)
        self.assertEqual(code, 130, run.output)
        self.assertLess(seconds, 15, run.output)
        self.assertIn("ssl-zoo pretrain: interrupted by SIGINT; no preset or report was written", run.output)
        self.assertNotIn("Traceback", run.output)
        self.assertFalse(os.path.exists(out))
        (backed_up,) = os.listdir(backup)
        epoch = int(re.fullmatch(r"epoch_(\d+)\.weights\.h5", backed_up).group(1))
        self.assertGreaterEqual(epoch, 1)

        rerun = subprocess.run(
            [sys.executable, "-m", "ssl_zoo", "pretrain", "simclr", *TRAIN, "--epochs", str(epoch + 1),
             "--out", out, "--checkpoint-dir", backup], capture_output=True, text=True,
        )
        self.assertEqual(rerun.returncode, 0, rerun.stderr)
        self.assertIn(f"Resumed from epoch {epoch}", rerun.stdout)
        self.assertEqual(rerun.stdout.count("Epoch "), 1, rerun.stdout)  # only the last epoch ran
        self.assertTrue(os.path.isfile(os.path.join(out, "config.json")))
        self.assertFalse(os.path.exists(backup))

    def test_sigterm_without_backups_stops_within_a_step_and_writes_nothing(self):
        folder = self.get_temp_dir()
        out = os.path.join(folder, "preset")
        run = Run("pretrain", "simclr", *TRAIN, "--epochs", "50", "--out", out)
        run.wait_for(lambda: "Epoch 2/50" in run.output)
        time.sleep(0.5)
        code, seconds = run.stop(signal.SIGTERM)
        self.assertEqual(code, 128 + signal.SIGTERM, run.output)
        self.assertLess(seconds, 15, run.output)
        self.assertIn("interrupted by SIGTERM", run.output)
        self.assertNotIn("Traceback", run.output)
        self.assertEqual(os.listdir(folder), [])
