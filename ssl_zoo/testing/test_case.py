"""Base test case with NumPy comparisons and seeded random inputs."""

import shutil
import tempfile

import numpy as np
from absl.testing import parameterized


class TestCase(parameterized.TestCase):
    def get_temp_dir(self):
        path = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, path, ignore_errors=True)
        return path

    def save_preset(self, task, name="preset"):
        """Save `task` to a fresh temporary preset folder; its path."""
        import os

        path = os.path.join(self.get_temp_dir(), name)
        task.save_to_preset(path)
        return path

    def assertAllClose(self, actual, expected, atol=1e-6, rtol=1e-6, msg=None):
        import keras

        as_np = lambda x: np.asarray(
            keras.ops.convert_to_numpy(x) if not isinstance(x, (np.ndarray, float, int)) else x,
            dtype=np.float64,
        )
        np.testing.assert_allclose(as_np(actual), as_np(expected), atol=atol, rtol=rtol, err_msg=msg or "")


def random_normal(shape, seed=0, scale=1.0):
    return (np.random.default_rng(seed).normal(size=shape) * scale).astype("float32")
