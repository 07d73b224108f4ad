
import keras
import numpy as np

from ssl_zoo import models
from ssl_zoo.testing.test_case import TestCase
from ssl_zoo.testing.test_case import random_normal
from ssl_zoo.testing.tiny import random_images
from ssl_zoo.testing.tiny import tiny_backbone


def squared_errors(x, reconstruction):
    """(B, H, W, C) squared errors of a reconstruction against pixels 0..255, float64."""
    return (np.asarray(reconstruction, np.float64) - np.asarray(x, np.float64) / 255.0) ** 2


class AutoencoderTest(TestCase):
    def test_reconstructions_have_the_input_size(self):
        for image_shape in [(28, 28, 1), (15, 13, 3), (16, 16, 1)]:
            model = models.Autoencoder(tiny_backbone(image_shape))
            outputs = model(np.zeros((2, *image_shape), "float32"))
            self.assertEqual(tuple(outputs["reconstruction"].shape), (2, *image_shape))
            self.assertEqual(tuple(outputs["loss_mask"].shape), (2, *image_shape[:2], 1))

    def test_plain_loss_is_the_mean_squared_error_over_all_pixels(self):
        model = models.Autoencoder(tiny_backbone((8, 8, 2)))
        x = random_images(3, (8, 8, 2)).astype("float32")
        reconstruction = np.random.default_rng(1).uniform(size=x.shape).astype("float32")
        y_pred = {"reconstruction": reconstruction, "loss_mask": np.ones((3, 8, 8, 1), "float32")}
        self.assertAllClose(
            model.compute_loss(x, y_pred=y_pred), squared_errors(x, reconstruction).mean(), atol=1e-6
        )

    def test_masked_loss_counts_only_hidden_patches(self):
        model = models.Autoencoder(tiny_backbone(), variant="masked", patch_size=4, seed=0)
        x = random_images(4).astype("float32")[..., None]
        _, loss_mask = model.corruption.corrupt(x / 255.0)
        loss_mask = np.asarray(loss_mask)
        reconstruction = random_normal(x.shape, seed=2)
        hidden = loss_mask[..., 0] == 1
        expected = squared_errors(x, reconstruction)[hidden].mean()
        y_pred = {"reconstruction": reconstruction, "loss_mask": loss_mask}
        self.assertAllClose(model.compute_loss(x, y_pred=y_pred), expected, atol=1e-5)
        # Whatever the model draws on visible pixels does not change the loss.
        y_pred["reconstruction"] = np.where(loss_mask == 1, reconstruction, 100.0)
        self.assertAllClose(model.compute_loss(x, y_pred=y_pred), expected, atol=1e-5)

    def test_masked_corruption_hides_half_the_patches_with_gray(self):
        model = models.Autoencoder(tiny_backbone(), variant="masked", mask_ratio=0.5, patch_size=4)
        images = random_images(6)[..., None] / 255.0
        corrupted, loss_mask = (np.asarray(t) for t in model.corruption.corrupt(images))
        self.assertAllClose(loss_mask.reshape(6, -1).sum(1), np.full(6, 8 * 16), atol=0)
        self.assertAllClose(corrupted[loss_mask == 0], images[loss_mask == 0], atol=1e-7)
        self.assertAllClose(corrupted[loss_mask == 1], 0.5, atol=0)

    def test_denoising_corruption_adds_clipped_noise_and_counts_every_pixel(self):
        model = models.Autoencoder(tiny_backbone(), variant="denoising", noise_stddev=0.1, seed=0)
        images = np.full((8, 16, 16, 1), 0.5, "float32")
        corrupted, loss_mask = (np.asarray(t) for t in model.corruption.corrupt(images))
        self.assertAllClose(np.std(corrupted - images), 0.1, atol=0.01)
        self.assertAllClose(loss_mask, 1.0, atol=0)
        corrupted, _ = model.corruption.corrupt(np.ones_like(images))
        self.assertLessEqual(float(keras.ops.max(corrupted)), 1.0)

    def test_fit_lowers_the_reconstruction_error(self):
        for variant in ("plain", "denoising", "masked"):
            keras.utils.set_random_seed(0)
            model = models.Autoencoder(tiny_backbone(), variant=variant, seed=0)
            model.compile(optimizer=keras.optimizers.Adam(1e-2))
            x = random_images(16)
            history = model.fit(x, batch_size=8, epochs=3, verbose=0).history["loss"]
            self.assertLess(history[-1], history[0], variant)

    def test_evaluate_reports_the_clean_reconstruction_error(self):
        model = models.Autoencoder(tiny_backbone(), variant="masked")
        x = random_images(4)
        reconstruction = model.predict(x, verbose=0)["reconstruction"]
        expected = squared_errors(x[..., None], reconstruction).mean()
        self.assertAllClose(model.evaluate(x, verbose=0), expected, atol=1e-5)

    def test_reconstruct_shows_input_corruption_and_output(self):
        model = models.Autoencoder(tiny_backbone(), variant="masked", seed=0)
        x = random_images(3)
        shown = model.reconstruct(x)
        self.assertEqual(sorted(shown), ["corrupted", "input", "output"])
        self.assertAllClose(shown["input"], x[..., None] / 255.0, atol=1e-6)
        self.assertAllClose(np.mean(shown["corrupted"] == 0.5), 0.5, atol=0.05)
        self.assertAllClose(
            shown["output"], model.predict(shown["corrupted"] * 255.0, verbose=0)["reconstruction"],
            atol=1e-5,
        )

    def test_numpy_scalar_arguments_are_numbers(self):
        model = models.Autoencoder(
            tiny_backbone(), variant="masked", noise_stddev=np.float32(0.1), mask_ratio=np.float64(0.25),
            patch_size=np.int64(4),
        )
        # 16 x 16 images in 4 px patches: 16 patches, a quarter of them hidden.
        self.assertEqual(model.corruption.num_hidden_patches(16, 16), 4)
        with self.assertRaisesRegex(ValueError, "patch_size must be an int >= 1. Received: patch_size=4.0"):
            models.Autoencoder(tiny_backbone(), patch_size=4.0)
        with self.assertRaisesRegex(ValueError, "noise_stddev must be a number >= 0. Received: noise_stddev='0.1'"):
            models.Autoencoder(tiny_backbone(), noise_stddev="0.1")

    def test_bad_arguments(self):
        cases = [
            (dict(variant="sparse"), "variant must be one of plain, denoising, masked. Received: variant='sparse'"),
            (dict(variant="masked", mask_ratio=1.0), r"mask_ratio must be in \(0, 1\)"),
            (dict(variant="masked", patch_size=16), r"mask_ratio=0.5 hides 0 of the 1x1 patches of 16x16 images \(patch_size=16\)"),
            (dict(variant="denoising", noise_stddev=-1), "noise_stddev must be a number >= 0"),
        ]
        for kwargs, message in cases:
            with self.assertRaisesRegex(ValueError, message):
                models.Autoencoder(tiny_backbone(), **kwargs)
        with self.assertRaisesRegex(ValueError, r"needs a height and width.*\(None, None, 1\)"):
            models.Autoencoder(tiny_backbone((None, None, 1)))
