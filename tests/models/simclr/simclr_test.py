import os

import keras
import numpy as np

from ssl_zoo import models
from ssl_zoo import files
from ssl_zoo.testing.oracles import multi_crop_nt_xent_numpy
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

    def test_multi_crop_adds_local_crops_to_training_and_scores_every_crop_pair(self):
        model = tiny_simclr(num_local_crops=3, local_size=6, temperature=0.3)
        x = random_images(4)[..., None].astype("float32")
        self.assertEqual(tuple(model(x, training=True).shape), (20, 4))  # 2 views and 3 local crops
        self.assertEqual(tuple(model(x, training=False).shape), (4, 4))  # the images themselves
        y_pred = random_normal((20, 4))
        expected = multi_crop_nt_xent_numpy(y_pred, 5, 0.3)[0]
        self.assertAllClose(model.compute_loss(y_pred=y_pred), expected, atol=1e-5)
        history = model.fit(random_images(16), batch_size=8, epochs=1, verbose=0)
        self.assertTrue(np.isfinite(history.history["loss"][0]))

    def test_a_two_view_preset_loads_with_local_crops(self):
        path = os.path.join(self.get_temp_dir(), "simclr")
        model = tiny_simclr()
        model.save_to_preset(path)
        restored = models.SimCLR.from_preset(path, num_local_crops=2)
        x = random_images(5)[..., None].astype("float32")
        self.assertAllClose(restored.predict(x, verbose=0), model.predict(x, verbose=0), atol=1e-5)
        self.assertEqual(models.SimCLR.from_config(restored.get_config()).local_size, (7, 7))

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

    def test_bad_temperature_and_crops(self):
        with self.assertRaisesRegex(ValueError, "temperature must be a number > 0"):
            tiny_simclr(temperature=0)
        with self.assertRaisesRegex(ValueError, r"loss_implementation='fused' scores two views.*num_local_crops=2"):
            tiny_simclr(num_local_crops=2, loss_implementation="fused")
        with self.assertRaisesRegex(ValueError, r"num_local_crops must be an int >= 0.*=-1"):
            tiny_simclr(num_local_crops=-1)
        with self.assertRaisesRegex(ValueError, r"local crops must be no larger than the global crops \(16x16 px\)"):
            tiny_simclr(num_local_crops=2, local_size=20)

    def test_numpy_scalar_temperature_is_a_number(self):
        model = tiny_simclr(temperature=np.float32(0.25))
        y_pred = random_normal((6, 4))
        self.assertAllClose(model.compute_loss(y_pred=y_pred), nt_xent_numpy(y_pred[:3], y_pred[3:], 0.25)[0], atol=1e-5)
        for temperature in ("0.5", True):
            with self.assertRaisesRegex(ValueError, f"temperature must be a number > 0. Received: temperature={temperature!r}"):
                tiny_simclr(temperature=temperature)

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

