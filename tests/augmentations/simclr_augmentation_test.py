import keras
import numpy as np
from absl.testing import parameterized

from ssl_zoo import augmentations
from ssl_zoo.testing.image_oracles import crop_and_resize_numpy
from ssl_zoo.testing.image_oracles import grayscale_numpy
from ssl_zoo.testing.test_case import TestCase

NOTHING = dict(
    crop_scale=(1.0, 1.0),
    flip=False,
    jitter_probability=0.0,
    grayscale_probability=0.0,
    blur_probability=0.0,
)


def _images(shape, seed=0):
    return np.random.default_rng(seed).uniform(size=shape).astype("float32")


class SimCLRAugmentationTest(TestCase):
    @parameterized.parameters(1, 3)
    def test_shape_dtype_and_range(self, channels):
        layer = augmentations.SimCLRAugmentation(12, 10, jitter_strength=1.0, seed=0)
        views = layer(_images((6, 16, 16, channels)), training=True)
        self.assertEqual(tuple(views.shape), (6, 12, 10, channels))
        self.assertEqual(keras.backend.standardize_dtype(views.dtype), "float32")
        views = keras.ops.convert_to_numpy(views)
        self.assertTrue(np.all((views >= 0) & (views <= 1)))
        output_shape = layer.compute_output_shape((None, 16, 16, channels))
        self.assertEqual(output_shape, (None, 12, 10, channels))

    @parameterized.parameters(1, 3)
    def test_identity_when_every_augmentation_is_off(self, channels):
        images = _images((4, 16, 16, channels))
        layer = augmentations.SimCLRAugmentation(16, 16, seed=0, **NOTHING)
        self.assertAllClose(layer(images, training=True), images, atol=1e-6)

    def test_inference_only_resizes(self):
        images = _images((2, 16, 16, 3))
        layer = augmentations.SimCLRAugmentation(
            8, 8, jitter_probability=1.0, blur_probability=1.0, seed=0
        )
        expected = crop_and_resize_numpy(images, np.array([[0, 0, 16, 16]] * 2), 8, 8)
        self.assertAllClose(layer(images, training=False), expected, atol=1e-5)

    def test_two_calls_give_different_views(self):
        images = _images((4, 16, 16, 3))
        layer = augmentations.SimCLRAugmentation(16, 16, seed=0)
        view_a = keras.ops.convert_to_numpy(layer(images, training=True))
        view_b = keras.ops.convert_to_numpy(layer(images, training=True))
        self.assertGreater(np.abs(view_a - view_b).max(), 0.05)

    @parameterized.parameters(
        dict(crop_scale=(0.08, 1.0)),  # crop only
        dict(crop_scale=(1.0, 1.0), jitter_probability=1.0),  # color jitter only
    )
    def test_identical_images_get_independent_views(self, crop_scale, jitter_probability=0.0):
        image = _images((1, 16, 16, 3))
        settings = dict(NOTHING, crop_scale=crop_scale, jitter_probability=jitter_probability)
        layer = augmentations.SimCLRAugmentation(16, 16, seed=1, **settings)
        views = keras.ops.convert_to_numpy(layer(np.repeat(image, 6, axis=0), training=True))
        for i in range(6):
            for j in range(i):
                self.assertGreater(np.abs(views[i] - views[j]).max(), 1e-3, msg=f"views {i}, {j}")

    def test_grayscale_when_always_on(self):
        images = _images((3, 16, 16, 3))
        settings = dict(NOTHING, grayscale_probability=1.0)
        layer = augmentations.SimCLRAugmentation(16, 16, seed=0, **settings)
        self.assertAllClose(layer(images, training=True), grayscale_numpy(images), atol=1e-6)

    def test_flip_and_blur_when_always_on(self):
        images = _images((16, 16, 16, 1))
        flip = augmentations.SimCLRAugmentation(16, 16, seed=0, **dict(NOTHING, flip=True))
        flipped = keras.ops.convert_to_numpy(flip(images, training=True))
        is_flipped = [np.allclose(v, i[:, ::-1], atol=1e-6) for v, i in zip(flipped, images)]
        is_same = [np.allclose(v, i, atol=1e-6) for v, i in zip(flipped, images)]
        self.assertTrue(all(f or s for f, s in zip(is_flipped, is_same)))
        self.assertTrue(any(is_flipped) and any(is_same))  # per image, p = 1/2
        settings = dict(NOTHING, blur_probability=1.0)
        blur = augmentations.SimCLRAugmentation(16, 16, seed=0, **settings)
        blurred = keras.ops.convert_to_numpy(blur(images, training=True))
        self.assertLess(blurred.std(), images.std())  # a low-pass filter reduces the variance

    def test_runs_in_compiled_training_step(self):
        layer = augmentations.SimCLRAugmentation(8, 8, seed=0)
        inputs = keras.Input((16, 16, 3))
        model = keras.Model(inputs, keras.layers.Dense(1)(keras.layers.Flatten()(layer(inputs))))
        model.compile(optimizer="sgd", loss="mse")
        x, y = _images((4, 16, 16, 3)), np.zeros((4, 1), "float32")
        generators = (layer.seed_generator, layer.crop.seed_generator)
        before = [keras.ops.convert_to_numpy(g.state) for g in generators]
        losses = [model.train_on_batch(x, y) for _ in range(2)]
        after = [keras.ops.convert_to_numpy(g.state) for g in generators]
        for old, new in zip(before, after):
            self.assertFalse(np.array_equal(old, new))  # randomness advanced under jit
        self.assertTrue(np.all(np.isfinite(losses)))
        self.assertEqual(model.predict(x, verbose=0).shape, (4, 1))

    def test_config_round_trip(self):
        expected = dict(
            height=8,
            width=6,
            crop_scale=(0.2, 1.0),
            flip=False,
            jitter_strength=1.0,
            jitter_probability=0.5,
            grayscale_probability=0.1,
            blur_probability=0.0,
            seed=3,
        )
        layer = augmentations.SimCLRAugmentation(**expected)
        config = layer.get_config()
        self.assertEqual({k: config[k] for k in expected}, expected)
        restored = keras.saving.deserialize_keras_object(keras.saving.serialize_keras_object(layer))
        self.assertIsInstance(restored, augmentations.SimCLRAugmentation)
        self.assertEqual({k: restored.get_config()[k] for k in expected}, expected)

    def test_rejects_bad_probability(self):
        message = r"blur_probability must lie in \[0, 1\]. Received: blur_probability=1.5"
        with self.assertRaisesRegex(ValueError, message):
            augmentations.SimCLRAugmentation(8, 8, blur_probability=1.5)

    def test_rejects_bad_channels(self):
        with self.assertRaisesRegex(ValueError, "C = 1 or 3"):
            augmentations.SimCLRAugmentation(8, 8)(_images((1, 8, 8, 2)), training=True)
