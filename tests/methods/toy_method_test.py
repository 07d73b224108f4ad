"""The proof of the method seam: a method defined in this file alone.

`MeanBrightness` learns to predict each image's mean brightness from its backbone's pooled
features. It registers itself here, then trains through `ssl-zoo pretrain`, is probed by
`ssl-zoo evaluate` and passes the shared task tests; no other file names it.
"""

import io
import json
import os
from unittest import mock

import keras
import numpy as np

from ssl_zoo import methods
from ssl_zoo.cli import main
from ssl_zoo.models.image_ssl_task import ImageSSLTask
from ssl_zoo.testing import harness_data
from ssl_zoo.testing import task_harness
from ssl_zoo.testing.test_case import TestCase


@keras.saving.register_keras_serializable(package="ssl_zoo_tests")
class MeanBrightness(ImageSSLTask):
    """Backbone, global average pooling and one unit predicting the mean pixel in [0, 1]."""

    def __init__(self, backbone, feature_grid=1, preprocessor=None, **kwargs):
        # === Layers ===
        self.build_image_layers(backbone, feature_grid, preprocessor)
        self.pooling = keras.layers.GlobalAveragePooling2D(name="features")
        self.head = keras.layers.Dense(1, name="brightness")

        # === Functional Model ===
        inputs = keras.Input(shape=backbone.image_shape, name="images")
        outputs = self.head(self.pooling(self.backbone(self.rescaling(inputs))))
        super().__init__(inputs=inputs, outputs=outputs, **kwargs)

    def pretext_loss(self, x, y, y_pred, sample_weight):
        target = keras.ops.mean(keras.ops.cast(self.rescaling(x), "float32"), axis=(1, 2, 3))
        return keras.ops.mean(keras.ops.square(keras.ops.cast(y_pred[:, 0], "float32") - target))


def build(settings):
    from ssl_zoo import backbones

    return MeanBrightness(backbones.build_backbone(settings.backbone or "resnet_tiny", settings.image_shape))


if "brightness" not in methods.registered():  # this file also runs in the harness's subprocesses
    methods.register(methods.Method(
        name="brightness", task=MeanBrightness, modality="images", build=build, tiny={},
        options=methods.IMAGE_OPTIONS, description="predict each image's mean brightness",
    ))


class BrightnessHarnessTest(task_harness.TaskHarness):
    method_name = "brightness"


class ToyMethodTest(TestCase):
    def test_loss_is_the_squared_error_of_the_mean_brightness(self):
        task = harness_data.tiny_task(methods.get("brightness"))
        images = np.random.default_rng(0).integers(0, 256, (4, 16, 16, 1)).astype("float32")
        prediction = np.array([[0.1], [0.2], [0.7], [0.4]], "float32")
        expected = np.mean((prediction[:, 0].astype("float64") - images.mean(axis=(1, 2, 3)) / 255.0) ** 2)
        self.assertAllClose(task.compute_loss(x=images, y_pred=prediction), expected, atol=1e-6)

    def test_trains_through_the_cli_and_is_probed_by_evaluate(self):
        out = os.path.join(self.get_temp_dir(), "brightness")
        with mock.patch("sys.stdout", new_callable=io.StringIO):
            code = main.main(["pretrain", "brightness", "--data", "synthetic", "--out", out, "--limit", "64",
                              "--epochs", "1", "--batch-size", "32", "--knn-every", "0", "--color-mode", "grayscale"])
        self.assertEqual(code, 0)
        self.assertIsInstance(methods.get("brightness").task_class().from_preset(out), MeanBrightness)
        with mock.patch("sys.stdout", new_callable=io.StringIO) as stdout:
            code = main.main(["evaluate", out, "--data", "synthetic", "--protocol", "knn", "--json"])
        self.assertEqual(code, 0)
        (row,) = json.loads(stdout.getvalue())
        self.assertEqual(row["protocol"], "knn")
        self.assertBetween(row["test_accuracy"], 0.0, 1.0)
        with mock.patch("sys.stderr", new_callable=io.StringIO) as stderr:
            code = main.main(["pretrain", "brightness", "--data", "synthetic", "--out", out + "2",
                              "--temperature", "0.1"])
        self.assertEqual(code, 1)
        self.assertIn("--temperature applies to mocov2, mocov3, simclr only", stderr.getvalue())
