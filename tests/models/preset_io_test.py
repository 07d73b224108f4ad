import os
from unittest import mock

from ssl_zoo import models
from ssl_zoo.models import preset_io
from ssl_zoo.testing.test_case import TestCase
from ssl_zoo.testing.tiny import tiny_backbone

BUILTIN_NAMES = [
    "autoencoder_resnet_fashion_mnist",
    "mlm_bert_tiny_wordnet",
    "rotnet_resnet_fashion_mnist",
    "simclr_resnet_fashion_mnist",
]


def tiny_simclr():
    return models.SimCLR(tiny_backbone(), projection_dim=4, projection_hidden_dim=8, seed=1)


class PresetIOTest(TestCase):
    def test_every_method_registers_its_builtin_names(self):
        self.assertEqual(sorted(preset_io.builtin_presets()), BUILTIN_NAMES)

    def test_builtin_name_resolves_to_the_builtin_folder(self):
        folder = self.get_temp_dir()
        tiny_simclr().save_to_preset(os.path.join(folder, "simclr_resnet_fashion_mnist"))
        with mock.patch.object(preset_io, "builtin_dir", return_value=folder):
            model = models.SimCLR.from_preset("simclr_resnet_fashion_mnist")
        self.assertIsInstance(model, models.SimCLR)

    def test_builtin_name_without_its_folder_says_how_to_build_it(self):
        with mock.patch.object(preset_io, "builtin_dir", return_value=self.get_temp_dir()):
            with self.assertRaisesRegex(ValueError, "tools/build_presets.py rotnet_resnet_fashion_mnist"):
                models.RotNet.from_preset("rotnet_resnet_fashion_mnist")

    def test_unknown_name_lists_the_builtin_names(self):
        with self.assertRaisesRegex(ValueError, "Unknown preset 'simclr'. Built-in presets: " + ", ".join(BUILTIN_NAMES)):
            models.SimCLR.from_preset("simclr")

    def test_preset_of_another_task_is_refused_before_anything_is_built(self):
        path = self.save_preset(tiny_simclr())
        with self.assertRaisesRegex(ValueError, "holds a SimCLR, not a RotNet. Load it with SimCLR.from_preset"):
            models.RotNet.from_preset(path)

    def test_config_of_another_class_is_refused(self):
        path = self.save_preset(tiny_simclr())
        with open(os.path.join(path, "config.json")) as f:
            text = f.read()
        for written, message in [
            (text.replace("ssl_zoo>SmallResNetBackbone", "keras_hub>BertBackbone"),
             "holds a BertBackbone backbone but SimCLR builds on a SmallResNetBackbone"),
            (text[: len(text) // 2], "config.json is unreadable or corrupted"),
            (text.replace("ssl_zoo>SmallResNetBackbone", "other>Backbone"),
             "names the class 'other>Backbone', which is not registered"),
        ]:
            with open(os.path.join(path, "config.json"), "w") as f:
                f.write(written)
            with self.assertRaisesRegex(ValueError, message):
                models.SimCLR.from_preset(path)

    def test_missing_weights_file_is_refused(self):
        path = self.save_preset(tiny_simclr())
        os.remove(os.path.join(path, "model.weights.h5"))
        with self.assertRaisesRegex(ValueError, "Could not load preset"):
            models.SimCLR.from_preset(path)
