import json
import os
import subprocess
import sys

import keras
import numpy as np

from ssl_zoo import distribution
from ssl_zoo import models
from ssl_zoo.testing.test_case import TestCase

# Engines fix their devices when they start, so distributed runs get a fresh process.
_STEP = [sys.executable, "-m", "ssl_zoo.testing.data_parallel_step"]
_COMMANDS = {
    # One GSPMD program draws the views for the global batch: random views match too.
    "jax": _STEP + ["--devices", "4", "--augment", "random"],
    "tensorflow": _STEP + ["--devices", "2"],
    "torch": [sys.executable, "-m", "torch.distributed.run", "--nproc-per-node", "2",
              "--standalone", "-m", "ssl_zoo.testing.data_parallel_step"],
}


def run_fresh(command, **env):
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", **env)
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    if result.returncode:
        raise AssertionError(result.stderr[-3000:])
    return json.loads(result.stdout.strip().splitlines()[-1])


class DataParallelStepTest(TestCase):
    def test_a_step_on_replicas_equals_a_step_on_one_device(self):
        backend = keras.config.backend()
        result = run_fresh(
            _COMMANDS[backend], XLA_FLAGS="--xla_force_host_platform_device_count=4"
        )
        self.assertEqual(result["replicas"], 4 if backend == "jax" else 2)
        self.assertAllClose(result["loss_distributed"], result["loss_single"], atol=1e-5)
        # A gather whose gradient misses the other replicas' share, or a gradient scaled by
        # the replica count, moves the weights by a fraction of this change.
        self.assertGreater(result["max_weight_change"], 0.05)
        self.assertLess(result["max_weight_difference"], 1e-5)


class DataParallelTest(TestCase):
    def test_one_device_takes_the_data_as_it_is(self):
        with distribution.DataParallel() as parallel:
            self.assertEqual(parallel.num_replicas, 1)
            self.assertTrue(parallel.is_chief)
            x, batch_size = parallel.shard(np.arange(10), global_batch_size=4)
        self.assertEqual(batch_size, 4)
        np.testing.assert_array_equal(x, np.arange(10))

    def test_bad_arguments(self):
        with self.assertRaisesRegex(ValueError, "devices must be an int >= 1"):
            distribution.DataParallel(devices=0)
        if keras.config.backend() == "torch":
            with self.assertRaisesRegex(ValueError, "torchrun --nproc-per-node 3"):
                distribution.DataParallel(devices=3)
        else:
            keras.distribution.list_devices()  # the running backend's devices are now fixed
            with self.assertRaisesRegex(ValueError, "--devices 64 asks for more devices than"):
                distribution.DataParallel(devices=64)
        parallel = distribution.DataParallel()
        with self.assertRaisesRegex(ValueError, "needs a compiled model"):
            parallel.prepare(keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)]))

    def test_the_models_package_exports_the_same_class(self):
        self.assertIs(models.DataParallel, distribution.DataParallel)
