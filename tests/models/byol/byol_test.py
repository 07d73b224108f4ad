import io
import os
from unittest import mock

import keras
import numpy as np
from absl.testing import parameterized

from ssl_zoo import models
from ssl_zoo.cli import main
from ssl_zoo.testing.cross_view_loss import check_cross_view_loss
from ssl_zoo.testing.momentum_schedule import check_cosine_ema_over_fit
from ssl_zoo.testing.autodiff import value_and_grad
from ssl_zoo.testing.oracles import byol_loss_numpy
from ssl_zoo.testing.test_case import TestCase
from ssl_zoo.testing.test_case import random_normal
from ssl_zoo.testing.tiny import one_stage_backbone
from ssl_zoo.testing.tiny import random_images


def tiny_byol(**kwargs):
    keras.utils.set_random_seed(0)
    return models.BYOL(one_stage_backbone(), projection_dim=4, projection_hidden_dim=8,
                       predictor_hidden_dim=8, seed=1, **kwargs)


class BYOLTest(TestCase):
    @parameterized.parameters((1, 3), (6, 5))
    def test_loss_value_and_gradient_match_the_oracle(self, n, d):
        check_cross_view_loss(self, models.byol.byol_loss, byol_loss_numpy, n, d, atol=1e-5)
        z_a, z_b = random_normal((n, d), seed=2), random_normal((n, d), seed=3)
        # Fixed points: aligned predictions score 0, opposite ones the maximum 8.
        self.assertAllClose(models.byol.byol_loss(z_b, z_a, z_a, z_b), 0.0, atol=1e-6)
        self.assertAllClose(models.byol.byol_loss(-z_b, -z_a, z_a, z_b), 8.0, atol=1e-5)

    def test_multi_crop_loss_value_and_gradients_match_the_oracle(self):
        p_a, p_b, z_a, z_b, p_1, p_2 = (random_normal((5, 3), seed=s) for s in range(6))

        def traced(p_a, p_b, z_a, z_b, p_1, p_2):
            unused = 0.0 * keras.ops.sum(z_a + z_b)  # torch and TF need a path to the targets
            return models.byol.byol_loss(p_a, p_b, z_a, z_b, p_local=(p_1, p_2)) + unused

        value, gradients = value_and_grad(traced, p_a, p_b, z_a, z_b, p_1, p_2)
        expected, d_p_a, d_p_b, d_p_1, d_p_2 = byol_loss_numpy(p_a, p_b, z_a, z_b, p_local=(p_1, p_2))
        self.assertAllClose(value, expected, atol=1e-5)
        for got, want in zip(gradients[:2] + gradients[4:], (d_p_a, d_p_b, d_p_1, d_p_2)):
            self.assertAllClose(got, want, atol=1e-5)
        self.assertEqual(np.max(np.abs(gradients[2])) + np.max(np.abs(gradients[3])), 0.0)  # stopped targets

    def test_multi_crop_regresses_each_local_crop_on_both_views_targets(self):
        model = tiny_byol(num_local_crops=2, local_size=6)
        x = random_images(4)[..., None].astype("float32")
        outputs = model(x, training=True)
        self.assertEqual(tuple(outputs["predictions"].shape), (16, 4))  # 2 views and 2 local crops
        self.assertEqual(tuple(outputs["views"].shape), (8, 16, 16, 1))  # the target's
        self.assertEqual(tuple(model(x, training=False)["predictions"].shape), (4, 4))
        views = random_images(8, seed=4)[..., None].astype("float32") / 255.0
        predictions = random_normal((16, 4))
        loss = model.compute_loss(y_pred={"predictions": predictions, "views": views})
        z_a, z_b = (keras.ops.convert_to_numpy(model.target(v)) for v in (views[:4], views[4:]))
        p = np.split(predictions, 4)
        self.assertAllClose(loss, byol_loss_numpy(p[0], p[1], z_a, z_b, p_local=p[2:])[0], atol=1e-5)

    def test_a_two_view_preset_trains_further_with_local_crops(self):
        path = os.path.join(self.get_temp_dir(), "byol")
        model = tiny_byol()
        model.save_to_preset(path)
        restored = models.BYOL.from_preset(path, num_local_crops=3)
        self.assertEqual(restored.get_config()["num_local_crops"], 3)
        x = random_images(5, seed=2)
        self.assertAllClose(restored.embed(x), model.embed(x), atol=1e-5)

    def test_compute_loss_regresses_each_view_on_the_targets_projection_of_the_other(self):
        model = tiny_byol()
        views = random_images(8)[..., None].astype("float32") / 255.0  # 4 images, 2 views
        predictions = random_normal((8, 4))
        loss = model.compute_loss(y_pred={"predictions": predictions, "views": views})
        # The target starts equal to the online network, so its first update leaves it.
        z_a, z_b = (keras.ops.convert_to_numpy(model.target(v)) for v in (views[:4], views[4:]))
        self.assertGreater(np.min(np.linalg.norm(np.concatenate([z_a, z_b]), axis=1)), 0.01)
        expected = byol_loss_numpy(predictions[:4], predictions[4:], z_a, z_b)[0]
        self.assertAllClose(loss, expected, atol=1e-5)

    def test_target_follows_the_cosine_ema_of_the_online_weights_over_fit_s_steps(self):
        check_cosine_ema_over_fit(self, tiny_byol(momentum=0.5))

    def test_bad_arguments(self):
        for momentum in (1.5, -0.1, "0.9", True):
            with self.assertRaisesRegex(ValueError, rf"momentum must be a number in \[0, 1\].*Received: momentum={momentum!r}"):
                tiny_byol(momentum=momentum)
        with self.assertRaisesRegex(ValueError, r"blur_probabilities must be a pair of probabilities in \[0, 1\], one per view. Received: blur_probabilities=\(1.0,\)"):
            tiny_byol(blur_probabilities=(1.0,))
        with self.assertRaisesRegex(ValueError, r"solarize_probabilities must be .* Received: solarize_probabilities=\(0.0, 1.2\)"):
            tiny_byol(solarize_probabilities=(0.0, 1.2))
        import tensorflow as tf

        endless = tf.data.Dataset.from_tensor_slices(random_images(8)[..., None]).batch(4).repeat()
        model = tiny_byol()
        model.compile()
        with self.assertRaisesRegex(ValueError, r"cannot count the batches of this x \(.*\): pass steps_per_epoch"):
            model.fit(endless, epochs=1, verbose=0)
        with self.assertRaisesRegex(ValueError, "from_preset\\(\\) got unknown keyword\\(s\\): predictor_hidden_dim"):
            models.SimCLR.from_preset("simclr_resnet_fashion_mnist", predictor_hidden_dim=8)
        with self.assertRaisesRegex(ValueError, "SimCLR got unknown keyword\\(s\\): predictor_hidden_dim. It takes: backbone, projection_dim"):
            models.SimCLR(one_stage_backbone(), predictor_hidden_dim=8)

    def test_command_line_refuses_a_predictor_for_simclr_and_a_momentum_above_1(self):
        out = os.path.join(self.get_temp_dir(), "out")
        with mock.patch("sys.stderr", new_callable=io.StringIO) as stderr:
            code = main.main(["pretrain", "simclr", "--data", "synthetic", "--out", out, "--predictor-hidden-dim", "8"])
        self.assertEqual(code, 1)
        self.assertIn("--predictor-hidden-dim applies to byol", stderr.getvalue())
        with mock.patch("sys.stderr", new_callable=io.StringIO) as stderr, self.assertRaises(SystemExit):
            main.main(["pretrain", "byol", "--data", "synthetic", "--out", out, "--momentum", "1.5"])
        self.assertIn("argument --momentum: must be a number in [0, 1]. Received: '1.5'", stderr.getvalue())
        self.assertFalse(os.path.exists(out))
