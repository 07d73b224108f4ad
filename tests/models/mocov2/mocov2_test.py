import io
import os
from unittest import mock

import keras
import numpy as np
from absl.testing import parameterized

from ssl_zoo import models
from ssl_zoo.cli import main
from ssl_zoo.testing.autodiff import value_and_grad
from ssl_zoo.testing.oracles import mocov2_loss_numpy
from ssl_zoo.testing.test_case import TestCase
from ssl_zoo.testing.test_case import random_normal
from ssl_zoo.testing.tiny import one_stage_backbone
from ssl_zoo.testing.tiny import random_images


def tiny_mocov2(**kwargs):
    keras.utils.set_random_seed(0)
    settings = dict(projection_dim=4, projection_hidden_dim=8, queue_size=8, seed=1)
    return models.MoCoV2(one_stage_backbone(), **{**settings, **kwargs})


def numpy_of(x):
    return np.asarray(keras.ops.convert_to_numpy(x), np.float64)


def unit(x):
    return x / np.linalg.norm(x, axis=-1, keepdims=True)


def symmetric_images(n, seed=0):
    """Mirror-symmetric images, on which a flip draws nothing: with whole-image crops and no
    color change each view is the image itself."""
    images = random_images(n, seed=seed).astype("float32")[..., None]
    return (images + images[:, :, ::-1]) / 2


class RecordKeys(keras.callbacks.Callback):
    """The unit keys of each step's batch: the key encoder after the step is the one that
    computed them (its update comes first), on batch statistics."""

    def __init__(self, x, batch_size):
        super().__init__()
        self.x, self.batch_size, self.keys = x, batch_size, []

    def on_train_batch_end(self, batch, logs=None):
        views = self.x[batch * self.batch_size : (batch + 1) * self.batch_size] / 255.0
        self.keys.append(unit(numpy_of(self.model.target.averaged(views, training=True))))


class MoCoV2Test(TestCase):
    @parameterized.parameters((1, 3, 5, 0.2), (6, 5, 16, 0.07))
    def test_loss_value_and_gradient_match_the_oracle(self, n, d, k, temperature):
        q, keys, queue = random_normal((n, d), seed=0), random_normal((n, d), seed=1), random_normal((k, d), seed=2)
        value, (d_q, d_keys, d_queue) = value_and_grad(
            lambda q, keys, queue: models.mocov2.mocov2_loss(q, keys, queue, temperature)
            + 0.0 * keras.ops.sum(keys) + 0.0 * keras.ops.sum(queue),  # torch and TF need a path
            q, keys, queue,
        )
        expected, expected_d_q = mocov2_loss_numpy(q, keys, queue, temperature)
        self.assertAllClose(value, expected, atol=1e-5)
        self.assertAllClose(d_q, expected_d_q, atol=1e-5)
        self.assertEqual(np.max(np.abs(d_keys)), 0.0)  # the key encoder's side: stop-gradient
        self.assertEqual(np.max(np.abs(d_queue)), 0.0)

    @parameterized.parameters(True, False)
    def test_compute_loss_scores_queries_against_their_keys_and_the_queue_then_enqueues(self, symmetric):
        model = tiny_mocov2(symmetric=symmetric)
        views = random_images(8)[..., None].astype("float32") / 255.0  # 4 images, 2 views
        queries = random_normal((8, 4))
        queue = numpy_of(model.queue.keys)
        loss = model.compute_loss(y_pred={"projections": queries, "views": views})
        # The key encoder starts equal to the query encoder, so its first update leaves it.
        k_a, k_b = (numpy_of(model.target(v)) for v in (views[:4], views[4:]))
        q_a, q_b = queries[:4], queries[4:]
        if symmetric:
            expected = (mocov2_loss_numpy(q_a, k_b, queue[1], 0.2)[0] + mocov2_loss_numpy(q_b, k_a, queue[0], 0.2)[0]) / 2
            enqueued = np.stack([unit(k_a), unit(k_b)])
        else:
            expected = mocov2_loss_numpy(q_a, k_b, queue[0], 0.2)[0]
            enqueued = unit(k_b)[None]
        self.assertAllClose(loss, expected, atol=1e-5)
        self.assertEqual(int(numpy_of(model.queue.pointer)), 4)
        self.assertAllClose(numpy_of(model.queue.keys)[:, :4], enqueued, atol=1e-5)
        self.assertAllClose(numpy_of(model.queue.keys)[:, 4:], queue[:, 4:], atol=0)

    def test_queue_after_k_steps_holds_the_last_keys_in_order(self):
        # Queue 8, batches of 4 over 12 images: after 3 steps the queue holds steps 2 and 3.
        model = tiny_mocov2(crop_scale=(1.0, 1.0), jitter_strength=0.0, momentum=0.5)
        model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.5))
        x, batch_size = symmetric_images(12), 4
        recorder = RecordKeys(x, batch_size)
        model.fit(x, batch_size=batch_size, epochs=1, shuffle=False, verbose=0, callbacks=[recorder])
        pointer = int(numpy_of(model.queue.pointer))
        self.assertEqual(pointer, 12 % 8)
        expected = np.concatenate(recorder.keys[1:], axis=0)  # (8, P), oldest first
        actual = np.roll(numpy_of(model.queue.keys), -pointer, axis=1)
        for view in (0, 1):  # both views are the image itself
            self.assertAllClose(actual[view], expected, atol=1e-5)
        self.assertGreater(np.max(np.abs(recorder.keys[0] - recorder.keys[2])), 1e-3)  # the keys moved
        # The key encoder's schedule: 0.5 to 0.999 over fit's 3 steps, then held.
        self.assertEqual(int(numpy_of(model.target.schedule_steps)), 3)
        self.assertAllClose(model.target.momentum_at(3), 0.999, atol=1e-7)

    def test_bad_arguments(self):
        for queue_size in (0, 2.5, None):
            with self.assertRaisesRegex(ValueError, rf"queue_size must be an int >= 1, a multiple of the global batch .* Received: queue_size={queue_size!r}"):
                tiny_mocov2(queue_size=queue_size)
        for name in ("momentum", "final_momentum"):
            with self.assertRaisesRegex(ValueError, rf"{name} must be a number in \[0, 1\] .*Received: {name}=1.5"):
                tiny_mocov2(**{name: 1.5})
        with self.assertRaisesRegex(ValueError, "temperature must be a number > 0. Received: temperature=0"):
            tiny_mocov2(temperature=0)
        with self.assertRaisesRegex(ValueError, "symmetric must be True or False. Received: symmetric='yes'"):
            tiny_mocov2(symmetric="yes")
        with self.assertRaisesRegex(ValueError, "MoCoV2 got unknown keyword\\(s\\): predictor_hidden_dim"):
            tiny_mocov2(predictor_hidden_dim=8)
        model = tiny_mocov2(queue_size=12)
        model.compile()
        with self.assertRaisesRegex(ValueError, r"queue_size must be a multiple of the global batch, 8 here .*Received: queue_size=12"):
            model.fit(random_images(16)[..., None], batch_size=8, epochs=1, verbose=0)

    def test_command_line_refuses_a_predictor_and_a_bad_queue_size(self):
        out = os.path.join(self.get_temp_dir(), "out")
        with mock.patch("sys.stderr", new_callable=io.StringIO) as stderr:
            code = main.main(["pretrain", "mocov2", "--data", "synthetic", "--out", out, "--predictor-hidden-dim", "8"])
        self.assertEqual(code, 1)
        self.assertIn("--predictor-hidden-dim applies to byol", stderr.getvalue())
        with mock.patch("sys.stderr", new_callable=io.StringIO) as stderr, self.assertRaises(SystemExit):
            main.main(["pretrain", "mocov2", "--data", "synthetic", "--out", out, "--queue-size", "0"])
        self.assertIn("argument --queue-size: must be an integer >= 1. Received: '0'", stderr.getvalue())
        self.assertFalse(os.path.exists(out))
