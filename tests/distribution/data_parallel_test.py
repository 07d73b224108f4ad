import keras
import numpy as np

from ssl_zoo import distribution
from ssl_zoo import models
from ssl_zoo.testing.test_case import TestCase


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
