import os
import pathlib

from ssl_zoo import models
from ssl_zoo.testing.test_case import TestCase
from ssl_zoo.testing.tiny import random_images
from ssl_zoo.testing.tiny import tiny_backbone


def tiny_simclr(**kwargs):
    return models.SimCLR(tiny_backbone(), projection_dim=4, projection_hidden_dim=8, seed=1, **kwargs)


class FromPresetTest(TestCase):
    def test_unknown_keywords_are_refused_with_the_accepted_ones(self):
        path = self.save_preset(tiny_simclr())
        with self.assertRaisesRegex(
            ValueError,
            r"SimCLR.from_preset\(\) got unknown keyword\(s\): temprature. Did you mean temperature\? "
            r"Accepted keywords: backbone, blur_probability, crop_scale, dtype, feature_grid, image_shape, "
            r"jitter_strength, local_crop_scale, local_size, loss_implementation, name, num_local_crops, "
            r"preprocessor, projection_dim, "
            r"projection_hidden_dim, projection_layers, seed, temperature.",
        ):
            models.SimCLR.from_preset(path, temprature=0.1)
        with self.assertRaisesRegex(ValueError, r"ImageClassifier.from_preset\(\) got unknown keyword\(s\): dropuot. Did you mean dropout\?"):
            models.ImageClassifier.from_preset(path, num_classes=3, dropuot=0.1)
        # Keywords the constructor takes still reach it.
        self.assertEqual(models.SimCLR.from_preset(path, temperature=0.1).temperature, 0.1)
        self.assertEqual(models.ImageClassifier.from_preset(path, num_classes=3, dropout=0.25).dropout, 0.25)

    def test_path_like_presets(self):
        model = tiny_simclr()
        path = pathlib.Path(self.save_preset(model))
        x = random_images(3)
        self.assertAllClose(models.SimCLR.from_preset(path).predict(x, verbose=0), model.predict(x, verbose=0), atol=1e-6)
        self.assertIsInstance(models.load_task(path), models.SimCLR)

    def test_a_deleted_weights_file_is_named(self):
        path = self.save_preset(tiny_simclr())
        os.remove(os.path.join(path, "model.weights.h5"))
        with self.assertRaisesRegex(
            ValueError,
            f"{os.path.join(path, 'model.weights.h5')} is missing. The preset is damaged: rewrite it "
            r"with the task's save_to_preset\(\)",
        ):
            models.SimCLR.from_preset(path)
        self.assertIsInstance(models.SimCLR.from_preset(path, load_weights=False), models.SimCLR)

    def test_a_truncated_weights_file_is_named(self):
        for name in ("model.weights.h5", "task.weights.h5"):
            path = self.save_preset(tiny_simclr(), name=name)
            weights_file = os.path.join(path, name)
            with open(weights_file, "r+b") as f:
                f.truncate(os.path.getsize(weights_file) // 2)
            with self.assertRaisesRegex(
                ValueError, f"{weights_file} is truncated or not an HDF5 weights file .* The preset is damaged"
            ):
                models.SimCLR.from_preset(path)
            with self.assertRaisesRegex(ValueError, f"{weights_file} is truncated"):
                models.load_task(path)


class SaveToPresetTest(TestCase):
    def test_a_replaced_preset_gets_the_umask_permissions(self):
        import stat

        folder = self.get_temp_dir()
        path = os.path.join(folder, "preset")
        previous = os.umask(0o002)
        self.addCleanup(os.umask, previous)
        model = tiny_simclr()
        for _ in range(2):  # written, then replaced
            model.save_to_preset(path)
        self.assertEqual(stat.S_IMODE(os.stat(path).st_mode), 0o775)
        for name in os.listdir(path):
            self.assertEqual(stat.S_IMODE(os.stat(os.path.join(path, name)).st_mode), 0o664, name)
        self.assertEqual(os.listdir(folder), ["preset"])  # no temporary folder left

    def test_non_finite_weights_are_never_written(self):
        model = tiny_simclr()
        weights = model.get_weights()
        first_float = next(w for w in weights if w.dtype.kind == "f" and w.size)
        first_float[...] = float("nan")
        model.set_weights(weights)
        path = os.path.join(self.get_temp_dir(), "preset")
        with self.assertRaisesRegex(ValueError, r"The weight '.*' is not finite \(training diverged\): the preset "
                                    "was not written"):
            model.save_to_preset(path)
        self.assertFalse(os.path.exists(path))
