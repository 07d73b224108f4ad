import math

import keras
import numpy as np

from ssl_zoo import augmentations
from ssl_zoo.testing.image_oracles import crop_and_resize_numpy
from ssl_zoo.testing.test_case import TestCase


def _images(shape, seed=0):
    return np.random.default_rng(seed).uniform(size=shape).astype("float32")


def train_twice(layer, input_shape):
    """Runs `layer` in two compiled training steps; returns its seed state before and after."""
    inputs = keras.Input(input_shape)
    outputs = keras.layers.Dense(1)(keras.layers.Flatten()(layer(inputs)))
    model = keras.Model(inputs, outputs)
    model.compile(optimizer="sgd", loss="mse")
    x, y = _images((4, *input_shape)), np.zeros((4, 1), "float32")
    state_before = keras.ops.convert_to_numpy(layer.seed_generator.state)
    losses = [model.train_on_batch(x, y) for _ in range(2)]
    state_after = keras.ops.convert_to_numpy(layer.seed_generator.state)
    predictions = model.predict(x, verbose=0)
    return state_before, state_after, losses, predictions


class RandomResizedCropTest(TestCase):
    def test_full_square_crop_at_same_size_is_identity(self):
        images = _images((3, 16, 16, 3))
        layer = augmentations.RandomResizedCrop(16, 16, scale=(1.0, 1.0), ratio=(1.0, 1.0), seed=0)
        self.assertAllClose(layer(images, training=True), images, atol=1e-6)

    def test_inference_resizes_whole_image(self):
        images = _images((2, 16, 12, 1))
        layer = augmentations.RandomResizedCrop(8, 10, seed=0)
        full = np.array([[0, 0, 16, 12]] * 2)
        expected = crop_and_resize_numpy(images, full, 8, 10)
        self.assertAllClose(layer(images, training=False), expected, atol=1e-5)
        same_size = augmentations.RandomResizedCrop(16, 12)
        self.assertAllClose(same_size(images, training=False), images, atol=0, rtol=0)

    def test_boxes_lie_inside_image_with_area_in_scale(self):
        height, width, scale = 16, 20, (0.08, 1.0)
        layer = augmentations.RandomResizedCrop(8, 8, scale=scale, seed=3)
        top, left, box_height, box_width = np.asarray(
            keras.ops.convert_to_numpy(layer.sample_boxes(256, height, width)), np.float64
        ).T
        fraction = box_height * box_width / (height * width)
        self.assertTrue(np.all(fraction >= scale[0] * (1 - 1e-5)))
        self.assertTrue(np.all(fraction <= scale[1] * (1 + 1e-5)))
        self.assertTrue(np.all((top >= 0) & (top + box_height <= height * (1 + 1e-6))))
        self.assertTrue(np.all((left >= 0) & (left + box_width <= width * (1 + 1e-6))))
        self.assertEqual(len(np.unique(np.round(fraction, 6))), 256)  # one box per image
        self.assertGreater(fraction.min(), 0.07)
        self.assertLess(fraction.min(), 0.2)  # the range is used, not just its top

    def test_aspect_ratio_in_range_when_boxes_fit(self):
        layer = augmentations.RandomResizedCrop(8, 8, scale=(0.1, 0.3), ratio=(0.5, 2.0), seed=1)
        _, _, box_height, box_width = keras.ops.convert_to_numpy(layer.sample_boxes(256, 16, 16)).T
        log_ratio = np.log(box_width / box_height)
        self.assertTrue(np.all(np.abs(log_ratio) <= math.log(2.0) + 1e-5))
        self.assertLess(log_ratio.min(), -0.4)
        self.assertGreater(log_ratio.max(), 0.4)

    def test_call_crops_the_sampled_boxes(self):
        images = _images((4, 16, 16, 2))
        layer = augmentations.RandomResizedCrop(8, 6, seed=7)
        twin = augmentations.RandomResizedCrop(8, 6, seed=7)
        boxes = keras.ops.convert_to_numpy(twin.sample_boxes(4, 16, 16))
        expected = crop_and_resize_numpy(images, boxes, 8, 6)
        self.assertAllClose(layer(images, training=True), expected, atol=1e-5)

    def test_each_image_gets_its_own_crop(self):
        image = _images((1, 16, 16, 1))
        layer = augmentations.RandomResizedCrop(8, 8, seed=0)
        crops = keras.ops.convert_to_numpy(layer(np.repeat(image, 6, axis=0), training=True))
        for i in range(6):
            for j in range(i):
                self.assertGreater(np.abs(crops[i] - crops[j]).max(), 1e-3, msg=f"crops {i}, {j}")

    def test_runs_in_compiled_training_step(self):
        layer = augmentations.RandomResizedCrop(8, 8, seed=0)
        state_before, state_after, losses, predictions = train_twice(layer, (16, 16, 1))
        self.assertFalse(np.array_equal(state_before, state_after))  # randomness advanced under jit
        self.assertTrue(np.all(np.isfinite(losses)))
        self.assertEqual(predictions.shape, (4, 1))

    def test_output_shape_and_config_round_trip(self):
        layer = augmentations.RandomResizedCrop(8, 6, scale=(0.2, 0.9), ratio=(0.5, 2.0), seed=4)
        self.assertEqual(layer.compute_output_shape((None, 16, 16, 3)), (None, 8, 6, 3))
        config = layer.get_config()
        self.assertEqual(
            {k: config[k] for k in ("height", "width", "scale", "ratio", "seed")},
            {"height": 8, "width": 6, "scale": (0.2, 0.9), "ratio": (0.5, 2.0), "seed": 4},
        )
        restored = keras.saving.deserialize_keras_object(keras.saving.serialize_keras_object(layer))
        self.assertIsInstance(restored, augmentations.RandomResizedCrop)
        restored_args = (restored.scale, restored.ratio, restored.seed)
        self.assertEqual(restored_args, ((0.2, 0.9), (0.5, 2.0), 4))

    def test_rejects_bad_scale(self):
        with self.assertRaisesRegex(ValueError, r"scale must lie in \(0, 1\]"):
            augmentations.RandomResizedCrop(8, 8, scale=(0.5, 1.5))
        with self.assertRaisesRegex(ValueError, "ratio must be a pair"):
            augmentations.RandomResizedCrop(8, 8, ratio=(2.0, 1.0))
