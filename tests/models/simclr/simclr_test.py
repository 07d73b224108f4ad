import os
import subprocess
import sys

import keras
import numpy as np
import pytest

from ssl_zoo import models
from ssl_zoo import files
from ssl_zoo.testing.image_sources import unlabeled_image_sources
from ssl_zoo.testing.oracles import nt_xent_numpy
from ssl_zoo.testing.test_case import TestCase
from ssl_zoo.testing.test_case import random_normal
from ssl_zoo.testing.tiny import random_images
from ssl_zoo.testing.tiny import tiny_backbone


def tiny_simclr(**kwargs):
    return models.SimCLR(tiny_backbone(), projection_dim=4, projection_hidden_dim=8, seed=1, **kwargs)


class SimCLRTest(TestCase):
    def test_training_forward_stacks_two_views(self):
        model = tiny_simclr()
        x = random_images(6)[..., None].astype("float32")
        self.assertEqual(tuple(model(x, training=True).shape), (12, 4))
        self.assertEqual(tuple(model(x, training=False).shape), (6, 4))

    def test_compute_loss_is_nt_xent_over_the_two_halves(self):
        model = tiny_simclr(temperature=0.2)
        y_pred = random_normal((10, 4))
        loss = model.compute_loss(y_pred=y_pred)
        self.assertAllClose(loss, nt_xent_numpy(y_pred[:5], y_pred[5:], 0.2)[0], atol=1e-5)

    def test_fused_and_reference_losses_give_the_same_training_curve(self):
        losses = {}
        for implementation in ("reference", None):
            keras.utils.set_random_seed(0)
            model = tiny_simclr(loss_implementation=implementation)
            history = model.fit(random_images(48), batch_size=16, epochs=2, shuffle=False, verbose=0)
            losses[implementation] = history.history["loss"]
        self.assertAllClose(losses[None], losses["reference"], atol=1e-4, rtol=1e-4)
        self.assertNotEqual(losses[None][0], losses[None][1])

    def test_fit_on_grayscale_uint8_arrays_updates_weights(self):
        model = tiny_simclr()
        before = [np.array(w) for w in model.backbone.trainable_weights]
        history = model.fit(random_images(32), batch_size=8, epochs=1, verbose=0)
        loss = history.history["loss"][0]
        self.assertTrue(np.isfinite(loss))
        # Random projections of 16 rows: the loss sits near log(2 * 8 - 1).
        self.assertLess(abs(loss - np.log(15)), 1.0)
        after = [np.array(w) for w in model.backbone.trainable_weights]
        self.assertTrue(any(not np.array_equal(a, b) for a, b in zip(before, after)))

    def test_fit_on_a_py_dataset(self):
        class Batches(keras.utils.PyDataset):
            def __len__(self):
                return 2

            def __getitem__(self, index):
                return random_images(8, seed=index)[..., None].astype("float32")

        history = tiny_simclr().fit(Batches(), epochs=1, verbose=0)
        self.assertTrue(np.isfinite(history.history["loss"][0]))

    def test_fit_on_tf_data_and_a_torch_data_loader(self):
        images = random_images(16)[..., None].astype("float32")
        for source in unlabeled_image_sources(images):
            history = tiny_simclr().fit(source, epochs=1, verbose=0)
            self.assertTrue(np.isfinite(history.history["loss"][0]))

    def test_bad_inputs(self):
        model = tiny_simclr()
        cases = [
            (dict(x=random_images(4), y=np.zeros(4)), "without labels"),
            (dict(x=np.zeros((4, 16), "uint8")), "must have rank 4"),
            (dict(x=np.zeros((0, 16, 16), "uint8")), "x is empty"),
            (dict(x=np.array([["a"] * 16] * 16)[None]), "must hold numbers"),
            (dict(x=np.zeros((4, 20, 20), "uint8")), "are 20x20 px but the model expects 16x16"),
            (dict(x=np.full((4, 16, 16), np.nan, "float32")), "NaN"),
        ]
        for kwargs, message in cases:
            with self.assertRaisesRegex(ValueError, message):
                model.fit(**kwargs, verbose=0)
        with self.assertRaisesRegex(ValueError, "SimCLR has no held-out loss"):
            model.evaluate(random_images(4))
        with self.assertRaisesRegex(ValueError, "temperature must be a number > 0"):
            tiny_simclr(temperature=0)

    def test_numpy_scalar_temperature_is_a_number(self):
        model = tiny_simclr(temperature=np.float32(0.25))
        y_pred = random_normal((6, 4))
        self.assertAllClose(model.compute_loss(y_pred=y_pred), nt_xent_numpy(y_pred[:3], y_pred[3:], 0.25)[0], atol=1e-5)
        for temperature in ("0.5", True):
            with self.assertRaisesRegex(ValueError, f"temperature must be a number > 0. Received: temperature={temperature!r}"):
                tiny_simclr(temperature=temperature)

    def test_preset_round_trip(self):
        model = tiny_simclr(temperature=0.3)
        model.fit(random_images(16), batch_size=8, verbose=0)
        x = random_images(5, seed=3)
        path = os.path.join(self.get_temp_dir(), "preset")
        model.save_to_preset(path)
        restored = models.SimCLR.from_preset(path)
        self.assertEqual(restored.temperature, 0.3)
        self.assertAllClose(restored.predict(x, verbose=0), model.predict(x, verbose=0), atol=1e-6)
        self.assertIsInstance(models.load_task(path), models.SimCLR)

    def test_failed_save_keeps_the_old_preset(self):
        path = os.path.join(self.get_temp_dir(), "preset")
        tiny_simclr().save_to_preset(path)
        before = sorted(os.listdir(path))

        def broken_write(tmp_dir):
            open(os.path.join(tmp_dir, "config.json"), "w").write("{")
            raise OSError("disk full")

        with self.assertRaisesRegex(OSError, "disk full"):
            files.write_folder(path, broken_write)
        self.assertEqual(sorted(os.listdir(path)), before)
        self.assertIsInstance(models.SimCLR.from_preset(path), models.SimCLR)
        self.assertEqual([f for f in os.listdir(os.path.dirname(path)) if f.startswith(".")], [])

    def test_bad_presets(self):
        folder = self.get_temp_dir()
        with self.assertRaisesRegex(ValueError, "is not a preset folder: it has no config.json"):
            models.SimCLR.from_preset(folder)
        with self.assertRaisesRegex(ValueError, "Unknown preset 'simcrl_resnet'"):
            models.SimCLR.from_preset("simcrl_resnet")
        path = os.path.join(folder, "preset")
        tiny_simclr().save_to_preset(path)
        with open(os.path.join(path, "model.weights.h5"), "r+b") as f:
            f.truncate(100)
        with self.assertRaisesRegex(ValueError, "Could not load preset"):
            models.SimCLR.from_preset(path)


_SAVE_SCRIPT = """
import sys, numpy as np, keras
keras.utils.set_random_seed(0)
from ssl_zoo import models
from ssl_zoo.testing.tiny import random_images, tiny_backbone
model = models.SimCLR(tiny_backbone(), projection_dim=4, projection_hidden_dim=8, seed=1)
model.fit(random_images(16), batch_size=8, verbose=0)
model.save_to_preset(sys.argv[1])
np.save(sys.argv[2], model.predict(random_images(5, seed=3), verbose=0))
"""


class SimCLRCrossBackendTest(TestCase):
    def test_preset_saved_on_another_backend_gives_equal_outputs(self):
        backends = ["jax", "tensorflow", "torch"]
        here = keras.config.backend()
        other = backends[(backends.index(here) + 1) % 3]
        folder = self.get_temp_dir()
        path, outputs = os.path.join(folder, "preset"), os.path.join(folder, "out.npy")
        env = dict(os.environ, KERAS_BACKEND=other, TF_CPP_MIN_LOG_LEVEL="3")
        subprocess.run([sys.executable, "-c", _SAVE_SCRIPT, path, outputs], env=env, check=True,
                       capture_output=True)
        restored = models.SimCLR.from_preset(path)
        self.assertAllClose(restored.predict(random_images(5, seed=3), verbose=0), np.load(outputs), atol=1e-4)
