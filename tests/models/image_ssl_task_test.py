import keras
import numpy as np
from absl.testing import parameterized

from ssl_zoo import evaluation
from ssl_zoo import models
from ssl_zoo.testing.test_case import TestCase
from ssl_zoo.testing.tiny import random_images
from ssl_zoo.testing.tiny import tiny_backbone
from ssl_zoo.testing.tiny import tiny_stage_features

IMAGE_TASKS = (models.SimCLR, models.RotNet, models.Autoencoder)


class ImageSSLTaskTest(TestCase):
    @parameterized.product(task_cls=IMAGE_TASKS, feature_grid=[1, 2, 3])
    def test_features_are_every_stage_averaged_over_a_grid(self, task_cls, feature_grid):
        model = task_cls(tiny_backbone(), feature_grid=feature_grid)
        x = random_images(5)
        expected = tiny_stage_features(model.backbone, x, feature_grid)
        self.assertEqual(expected.shape, (5, feature_grid**2 * (4 + 8)))  # stages of 16 x 16 x 4 and 8 x 8 x 8
        self.assertAllClose(evaluation.extract_features(model, x), expected, atol=1e-5)

    @parameterized.parameters(*IMAGE_TASKS)
    def test_feature_grid_survives_a_preset_round_trip(self, task_cls):
        model = task_cls(tiny_backbone(), feature_grid=2)
        restored = models.load_task(self.save_preset(model))
        self.assertEqual(restored.feature_grid, 2)
        x = random_images(3)
        self.assertAllClose(
            evaluation.extract_features(restored, x), evaluation.extract_features(model, x), atol=1e-6
        )

    @parameterized.parameters(*IMAGE_TASKS)
    def test_a_grid_finer_than_the_feature_map_fails_when_the_task_is_built(self, task_cls):
        # The last stage is 8 x 8: a grid of 9 does not fit it.
        with self.assertRaisesRegex(ValueError, r"GridAveragePooling2D\(9\) needs a feature map .* H and W >= 9"):
            task_cls(tiny_backbone(), feature_grid=9)
        with self.assertRaisesRegex(ValueError, "grid_size must be an int >= 1. Received: grid_size=0"):
            task_cls(tiny_backbone(), feature_grid=0)

    @parameterized.parameters(*IMAGE_TASKS)
    def test_float_images_in_0_1_are_refused_by_fit(self, task_cls):
        model = task_cls(tiny_backbone())
        model.compile()
        scaled = random_images(4).astype("float32") / 255.0
        with self.assertRaisesRegex(
            ValueError,
            rf"{task_cls.__name__} expects pixels in \[0, 255\] .* holds floats in \[0, 1\] .*: pass x \* 255",
        ):
            model.fit(scaled, verbose=0)
        with self.assertRaisesRegex(ValueError, r"pass x \* 255"):
            model.fit(list(scaled), verbose=0)
        # Pixels in [0, 255] train, as floats or as 0/1 integers.
        model.fit(scaled * 255, batch_size=4, verbose=0)
        model.fit((scaled > 0.5).astype("uint8"), batch_size=4, verbose=0)

    def test_a_list_of_images_trains_as_their_array(self):
        # The plain autoencoder draws nothing at random: the same start and batches give the
        # same weights, which a list sliced as several inputs would not.
        images = random_images(8)
        models_ = [models.Autoencoder(tiny_backbone(), variant="plain") for _ in range(3)]
        for model in models_:
            model.set_weights(models_[0].get_weights())
            model.compile(optimizer=keras.optimizers.SGD(0.1))
        for model, x in zip(models_, (images, list(images), tuple(images))):
            model.fit(x, batch_size=4, epochs=1, shuffle=False, verbose=0)
        for model in models_[1:]:
            for got, expected in zip(model.get_weights(), models_[0].get_weights()):
                self.assertAllClose(got, expected, atol=1e-6)
        self.assertAllClose(models_[0].predict(list(images), verbose=0)["reconstruction"],
                            models_[0].predict(images, verbose=0)["reconstruction"], atol=1e-6)
        with self.assertRaisesRegex(ValueError, "x is a list of images of different shapes"):
            models_[0].fit([images[0], images[1, :8]], verbose=0)

    def test_learning_rate_and_weight_decay_replace_the_default_optimizers(self):
        images = random_images(8)
        tasks = [models.Autoencoder(tiny_backbone(), variant="plain") for _ in range(2)]
        tasks[1].set_weights(tasks[0].get_weights())
        tasks[0].compile(learning_rate=0.05, weight_decay=0.01)  # the default: Adam
        tasks[1].compile(optimizer=keras.optimizers.Adam(learning_rate=0.05, weight_decay=0.01))
        for task in tasks:
            task.fit(images, batch_size=8, epochs=1, shuffle=False, verbose=0)
        for got, expected in zip(tasks[0].get_weights(), tasks[1].get_weights()):
            self.assertAllClose(got, expected, atol=1e-6)
        simclr = models.SimCLR(tiny_backbone())
        simclr.compile(learning_rate=2e-3)
        self.assertAllClose(simclr.optimizer.learning_rate, 2e-3)
        self.assertEqual(simclr.optimizer.weight_decay, 1e-6)  # the default's, kept
        with self.assertRaisesRegex(ValueError, "pass them to your optimizer instead. Received: optimizer="):
            simclr.compile(optimizer=keras.optimizers.SGD(0.1), learning_rate=0.1)
