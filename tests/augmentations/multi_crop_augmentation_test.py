import numpy as np

from ssl_zoo import augmentations
from ssl_zoo.testing.test_case import TestCase


def symmetric_images(n=3, size=16, seed=0):
    """Mirror-symmetric images in [0, 1]: a flip leaves them as they are."""
    images = np.random.default_rng(seed).random((n, size, size, 1)).astype("float32")
    return (images + images[:, :, ::-1]) / 2


class MultiCropAugmentationTest(TestCase):
    def test_shapes_in_and_out_of_training(self):
        crops = augmentations.MultiCropAugmentation(16, 16, num_local_crops=3, local_size=(6, 8), seed=0)
        global_views, local_crops = crops(symmetric_images(), training=True)
        self.assertEqual(tuple(global_views.shape), (6, 16, 16, 1))
        self.assertEqual(tuple(local_crops.shape), (9, 6, 8, 1))
        # Each local crop is its own draw.
        first, second = np.asarray(local_crops[:3]), np.asarray(local_crops[3:6])
        self.assertGreater(np.max(np.abs(first - second)), 1e-3)
        images, resized = crops(symmetric_images(), training=False)
        np.testing.assert_array_equal(np.asarray(images), symmetric_images())
        self.assertEqual(tuple(resized.shape), (3, 6, 8, 1))

    def test_whole_image_crops_are_the_images_resized(self):
        crops = augmentations.MultiCropAugmentation(
            16, 16, num_local_crops=2, local_size=8, global_crop_scale=(1.0, 1.0), local_crop_scale=(1.0, 1.0),
            jitter_strength=0.0, blur_probabilities=(0.0, 0.0), solarize_probabilities=(0.0, 0.0),
            local_blur_probability=0.0, seed=0,
        )
        images = symmetric_images()
        global_views, local_crops = crops(images, training=True)
        self.assertAllClose(global_views, np.concatenate([images, images]), atol=1e-5)
        # A 2x bilinear downsampling of the whole image averages each 2x2 block.
        blocks = images.reshape(3, 8, 2, 8, 2, 1).mean(axis=(2, 4))
        self.assertAllClose(local_crops, np.concatenate([blocks, blocks]), atol=1e-5)

    def test_no_local_crops_and_the_default_size(self):
        crops = augmentations.MultiCropAugmentation(28, 28, num_local_crops=0)
        (global_views,) = crops(np.zeros((2, 28, 28, 1), "float32"), training=True)
        self.assertEqual(tuple(global_views.shape), (4, 28, 28, 1))
        self.assertEqual(augmentations.MultiCropAugmentation(28, 28).local_size, (12, 12))  # DINO's 96 / 224
        config = augmentations.MultiCropAugmentation(28, 28, seed=3).get_config()
        self.assertEqual(augmentations.MultiCropAugmentation.from_config(config).get_config(), config)

    def test_bad_arguments(self):
        with self.assertRaisesRegex(ValueError, r"local crops must be no larger than the global crops \(16x16 px\)"):
            augmentations.MultiCropAugmentation(16, 16, local_size=(8, 20))
        with self.assertRaisesRegex(ValueError, r"num_local_crops must be an int >= 0.*=-1"):
            augmentations.MultiCropAugmentation(16, 16, num_local_crops=-1)
        with self.assertRaisesRegex(ValueError, r"local_size must be an int >= 1 or a pair.*=0"):
            augmentations.MultiCropAugmentation(16, 16, local_size=0)
        with self.assertRaisesRegex(ValueError, r"local_blur_probability must be a number in \[0, 1\]"):
            augmentations.MultiCropAugmentation(16, 16, local_blur_probability=2.0)
