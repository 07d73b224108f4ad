import io
import math
import os
from unittest import mock

import keras
import numpy as np
from absl.testing import parameterized

from ssl_zoo import models
from ssl_zoo.cli import main
from ssl_zoo.testing.cross_view_loss import check_cross_view_loss
from ssl_zoo.testing.oracles import byol_loss_numpy
from ssl_zoo.testing.test_case import TestCase
from ssl_zoo.testing.test_case import random_normal
from ssl_zoo.testing.tiny import one_stage_backbone
from ssl_zoo.testing.tiny import random_images


def tiny_byol(**kwargs):
    keras.utils.set_random_seed(0)
    return models.BYOL(one_stage_backbone(), projection_dim=4, projection_hidden_dim=8,
                       predictor_hidden_dim=8, seed=1, **kwargs)


def numpy_of(variables):
    return [np.asarray(keras.ops.convert_to_numpy(v), np.float64) for v in variables]


def cosine_momentum(k, base, total_steps):
    """BYOL, Sec. 3.2: tau_k = 1 - (1 - tau_base) (cos(pi k / K) + 1) / 2, held at 1 past K."""
    return 1 - (1 - base) * (math.cos(math.pi * min(k, total_steps) / total_steps) + 1) / 2


class RecordOnlineWeights(keras.callbacks.Callback):
    def __init__(self, model):
        super().__init__()
        self.history = [numpy_of(model.encoder.weights)]  # before the first step

    def on_train_batch_end(self, batch, logs=None):
        self.history.append(numpy_of(self.model.encoder.weights))


class BYOLTest(TestCase):
    @parameterized.parameters((1, 3), (6, 5))
    def test_loss_value_and_gradient_match_the_oracle(self, n, d):
        check_cross_view_loss(self, models.byol.byol_loss, byol_loss_numpy, n, d, atol=1e-5)
        z_a, z_b = random_normal((n, d), seed=2), random_normal((n, d), seed=3)
        # Fixed points: aligned predictions score 0, opposite ones the maximum 8.
        self.assertAllClose(models.byol.byol_loss(z_b, z_a, z_a, z_b), 0.0, atol=1e-6)
        self.assertAllClose(models.byol.byol_loss(-z_b, -z_a, z_a, z_b), 8.0, atol=1e-5)

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
        model = tiny_byol(momentum=0.5)
        model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.5))
        x, batch_size, steps = random_images(12)[..., None], 4, 3
        recorder = RecordOnlineWeights(model)
        model.fit(x, batch_size=batch_size, epochs=1, shuffle=False, verbose=0, callbacks=[recorder])

        self.assertEqual(int(keras.ops.convert_to_numpy(model.target.schedule_steps)), steps)
        for k in range(steps + 2):
            self.assertAllClose(model.target.momentum_at(k), cosine_momentum(k, 0.5, steps), atol=1e-7)
        # Float64 oracle: update k runs at the start of step k on the online weights the
        # step before left, t <- m_k t + (1 - m_k) s_k; only trainable weights are averaged.
        trainable = [any(w is v for v in model.encoder.trainable_weights) for w in model.encoder.weights]
        target = [w.copy() for w in recorder.history[0]]
        for k in range(steps):
            m = cosine_momentum(k, 0.5, steps)
            target = [m * t + (1 - m) * s if train else t
                      for t, s, train in zip(target, recorder.history[k], trainable)]
        actual = numpy_of(model.target.averaged.weights)
        for a, e, train in zip(actual, target, trainable):
            if train:
                self.assertAllClose(a, e, atol=1e-6)
        self.assertEqual(int(keras.ops.convert_to_numpy(model.target.step)), steps)
        moved = max(np.max(np.abs(a - s)) for a, s, t in zip(actual, recorder.history[0], trainable) if t)
        self.assertGreater(moved, 0.01)
        # A second fit runs the schedule from the step reached to the end of its own steps.
        model.fit(x[:8], batch_size=batch_size, epochs=1, verbose=0)
        self.assertEqual(int(keras.ops.convert_to_numpy(model.target.schedule_steps)), steps + 2)

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
