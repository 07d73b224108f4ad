import os
import subprocess
import sys

import keras
import numpy as np

from ssl_zoo import models
from ssl_zoo.testing.image_files import write_image
from ssl_zoo.testing.test_case import TestCase
from ssl_zoo.testing.tiny import random_images


def pretrain_command(data, out, replicas):
    """`ssl-zoo pretrain` on `replicas` replicas: --devices, or torchrun on PyTorch."""
    args = ["pretrain", "simclr", "--data", data, "--out", out, "--limit", "40",
            "--batch-size", "16", "--knn-every", "0", "--backbone", "resnet_tiny",
            "--dtype-policy", "mixed_bfloat16", "--color-mode", "grayscale"]
    if keras.config.backend() == "torch":
        return [sys.executable, "-m", "torch.distributed.run", "--standalone",
                "--nproc-per-node", str(replicas), "-m", "ssl_zoo", *args]
    return [sys.executable, "-m", "ssl_zoo", *args, "--devices", str(replicas)]


class DistributedPretrainTest(TestCase):
    def test_pretrain_from_a_folder_on_two_replicas_in_mixed_bfloat16_writes_one_portable_preset(self):
        # A folder is streamed: under torchrun each process decodes its own shard of it.
        root = self.get_temp_dir()
        folder = os.path.join(root, "photos")
        for i, image in enumerate(random_images(42, (28, 28))):
            write_image(os.path.join(folder, f"{i % 3}", f"{i}.png"), image)
        write_image(os.path.join(folder, "loose.png"), image)  # unlabeled: every image trains
        out = os.path.join(root, "preset")
        env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
        result = subprocess.run(pretrain_command(folder, out, 2), env=env, capture_output=True, text=True)
        self.assertEqual(result.returncode, 0, result.stderr[-3000:])
        self.assertIn("on 40 examples from", result.stdout)
        self.assertIn("2 replica(s), mixed_bfloat16", result.stdout)
        self.assertEqual(result.stdout.count("Saved preset"), 1)  # only rank 0 writes
        self.assertEqual(sorted(os.listdir(os.path.dirname(out))), ["photos", "preset"])  # nothing left over
        model = models.SimCLR.from_preset(out)
        batch_norms = [l for l in model._flatten_layers() if isinstance(l, keras.layers.BatchNormalization)]
        self.assertFalse(any(l.synchronized for l in batch_norms))  # loads on every backend
        self.assertTrue(np.all(np.isfinite(model.predict(random_images(4, (28, 28)), verbose=0))))

    def test_bad_devices_are_a_clear_error(self):
        # Without accelerators any K splits the CPU, so only the count itself can be wrong
        # (JAX, TensorFlow), or asking one PyTorch process for several devices.
        torch = keras.config.backend() == "torch"
        result = subprocess.run(
            [sys.executable, "-m", "ssl_zoo", "pretrain", "simclr", "--data", "synthetic",
             "--out", self.get_temp_dir(), "--devices", "2" if torch else "0"],
            capture_output=True, text=True,
        )
        # A count below 1 is refused while parsing (exit 2), anything else when the engine starts.
        self.assertEqual(result.returncode, 1 if torch else 2, result.stderr)
        expected = "torchrun --nproc-per-node 2" if torch else "argument --devices: must be an integer >= 1"
        self.assertIn(expected, result.stderr)
        self.assertNotIn("Traceback", result.stderr)
