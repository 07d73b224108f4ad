import contextlib
import json
import os
import subprocess
import sys

import keras
import numpy as np
from absl.testing import parameterized

from ssl_zoo import layers
from ssl_zoo.testing.autodiff import value_and_grad
from ssl_zoo.testing.momentum_schedule import RecordWeights
from ssl_zoo.testing.momentum_schedule import cosine_momentum
from ssl_zoo.testing.momentum_schedule import numpy_of
from ssl_zoo.testing.momentum_target_step import tiny_model
from ssl_zoo.testing.test_case import TestCase
from ssl_zoo.testing.test_case import random_normal

# Engines fix their devices when they start, so the distributed run gets a fresh process.
_STEP = [sys.executable, "-m", "ssl_zoo.testing.momentum_target_step"]
_DISTRIBUTED = {
    "jax": _STEP + ["--devices", "2"],
    "tensorflow": _STEP + ["--devices", "2"],
    "torch": [sys.executable, "-m", "torch.distributed.run", "--nproc-per-node", "2",
              "--standalone", "-m", "ssl_zoo.testing.momentum_target_step"],
}


def batch_norm(h, mean, variance, gamma, beta, epsilon=1e-3):
    return (h - mean) / np.sqrt(variance + epsilon) * gamma + beta


class MomentumTargetTest(TestCase):
    @parameterized.named_parameters(
        ("constant", dict(momentum=0.6)),
        ("cosine", dict(momentum=0.3, schedule="cosine", total_steps=3)),
    )
    def test_target_is_the_ema_of_the_online_weights_before_each_step(self, kwargs):
        steps, batch_size = 4, 8
        model = tiny_model(**kwargs)
        model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.5))
        x = random_normal((steps * batch_size, 5), seed=1)
        recorder = RecordWeights(model.online)
        model.fit(x, batch_size=batch_size, epochs=1, shuffle=False, verbose=0,
                  callbacks=[recorder])

        # Float64 oracle. Update k (from 0) runs at the start of step k + 1 on the online
        # weights s_k left by step k: t <- m_k t + (1 - m_k) s_k, then the target runs on the
        # batch in training mode, its BatchNormalization moving statistics following it.
        trainable = [any(w is v for v in model.online.trainable_weights)
                     for w in model.online.weights]
        target = [w.copy() for w in recorder.history[0]]
        moving_mean, moving_variance = target[3], target[4]  # Dense, BN gamma beta mean var, Dense
        for k in range(steps):
            if "total_steps" in kwargs:
                m = cosine_momentum(k, kwargs["momentum"], kwargs["total_steps"])
            else:
                m = kwargs["momentum"]
            online = recorder.history[k]
            target = [m * t + (1 - m) * s if train else t
                      for t, s, train in zip(target, online, trainable)]
            h = x[k * batch_size:(k + 1) * batch_size].astype(np.float64) @ target[0]
            moving_mean = 0.99 * moving_mean + 0.01 * h.mean(axis=0)
            moving_variance = 0.99 * moving_variance + 0.01 * h.var(axis=0)
        target[3], target[4] = moving_mean, moving_variance

        self.assertEqual(int(keras.ops.convert_to_numpy(model.target.step)), steps)
        for actual, expected in zip(numpy_of(model.target.averaged.weights), target):
            self.assertAllClose(actual, expected, atol=1e-6)
        # The target lags the online weights: an EMA that copied them would fail above, but
        # make sure the steps moved it at all.
        final_online = recorder.history[-1][0]
        self.assertGreater(np.max(np.abs(target[0] - recorder.history[0][0])), 0.01)
        self.assertGreater(np.max(np.abs(target[0] - final_online)), 0.01)

    def test_no_gradient_reaches_the_online_weights_through_the_target(self):
        model = tiny_model(momentum=0.5)
        online = model.online.trainable_variables
        for variable in online:  # online != target, so that the update moves the target
            variable.assign(variable + 0.25)
        x = random_normal((8, 5))

        def loss(*values):
            # The update and the forward in one traced function, as in a training step:
            # under JAX the forward reads the value the update assigned.
            with keras.StatelessScope(state_mapping=list(zip(online, values))):
                model.target.update()
                z = model.target(x, training=True)
            unused = 0.0 * sum(keras.ops.sum(v) for v in values)  # torch and TF need a path
            return keras.ops.sum(keras.ops.square(z)) + unused

        _, gradients = value_and_grad(loss, *[keras.ops.convert_to_numpy(v) for v in online])
        for gradient in gradients:
            self.assertEqual(np.max(np.abs(gradient)), 0.0)
        copies = {id(v) for v in model.target.averaged.variables}
        model.trainable = False
        model.trainable = True
        self.assertFalse(copies & {id(v) for v in model.trainable_variables})
        self.assertEqual(len(model.trainable_variables), len(online) + 2)  # + the predictor

    def test_update_after_a_forward_in_the_same_step(self):
        # DINO's order: the target runs, then the update, then the backward pass. The
        # gradient reaches the inputs (here the forward saves the weights for it) as if no
        # update followed.
        def forward(model, update, x):
            # Under JAX a traced step assigns inside a stateless scope, as its trainer does.
            jax = keras.config.backend() == "jax"
            scope = keras.StatelessScope() if jax else contextlib.nullcontext()
            with scope:
                z = model.target(x, training=True)
                if update:
                    model.target.update()
            return keras.ops.sum(keras.ops.square(z))

        models = [tiny_model(momentum=0.5), tiny_model(momentum=0.5)]
        for model in models:
            for variable in model.online.trainable_variables:
                variable.assign(variable + 0.25)
        x = random_normal((8, 5))
        value, (gradient,) = value_and_grad(lambda x: forward(models[0], True, x), x)
        expected_value, (expected,) = value_and_grad(lambda x: forward(models[1], False, x), x)
        self.assertAllClose(value, expected_value, atol=0, rtol=0)
        self.assertAllClose(gradient, expected, atol=0, rtol=0)
        self.assertGreater(np.max(np.abs(expected)), 0.01)

    def test_target_batch_norm_uses_batch_statistics(self):
        model = tiny_model()
        x = random_normal((8, 5), scale=3.0) + 2.0  # batch statistics far from (0, 1)
        kernel, gamma, beta, mean, variance, w2, b2 = numpy_of(model.target.averaged.weights)
        h = x.astype(np.float64) @ kernel
        expected = np.maximum(batch_norm(h, h.mean(0), h.var(0), gamma, beta), 0) @ w2 + b2
        self.assertAllClose(model.target(x), expected, atol=1e-5)  # training=True by default
        moving = numpy_of(model.target.averaged.weights[3:5])
        self.assertAllClose(moving[0], 0.99 * mean + 0.01 * h.mean(0), atol=1e-6)
        self.assertAllClose(moving[1], 0.99 * variance + 0.01 * h.var(0), atol=1e-6)
        online_statistics = numpy_of(model.online.weights[3:5])
        self.assertAllClose(online_statistics[0], np.zeros(4))
        inference = np.maximum(batch_norm(h, *moving, gamma, beta), 0) @ w2 + b2
        self.assertAllClose(model.target(x, training=False), inference, atol=1e-5)

    def test_cosine_schedule(self):
        target = tiny_model(momentum=0.99, schedule="cosine", total_steps=10).target
        for k in (0, 1, 3, 5, 9, 10, 11, 1000):
            self.assertAllClose(target.momentum_at(k), cosine_momentum(k, 0.99, 10), atol=1e-7)
        self.assertAllClose(target.momentum_at(5), 0.995, atol=1e-7)
        unset = tiny_model(momentum=0.99, schedule="cosine").target  # the length comes later
        self.assertAllClose(unset.momentum_at(7), 0.99, atol=1e-7)
        unset.set_total_steps(10)
        for k in (0, 3, 10, 11):
            self.assertAllClose(unset.momentum_at(k), cosine_momentum(k, 0.99, 10), atol=1e-7)
        constant = tiny_model(momentum=0.9).target
        self.assertAllClose(constant.momentum_at(123), 0.9, atol=1e-7)
        # solo-learn's MoCo v2+ schedule ends below 1: 0.99 -> 0.999.
        to_final = layers.MomentumTarget(target.online, 0.99, "cosine", 10, final_momentum=0.999)
        for k in (0, 1, 5, 10, 11):
            self.assertAllClose(to_final.momentum_at(k), cosine_momentum(k, 0.99, 10, final=0.999), atol=1e-7)
        self.assertAllClose(to_final.momentum_at(10), 0.999, atol=1e-7)
        self.assertEqual(layers.MomentumTarget.from_config(to_final.get_config()).final_momentum, 0.999)

    def test_config_and_saved_model_round_trip(self):
        target = tiny_model(momentum=0.9, schedule="cosine", total_steps=7).target
        config = target.get_config()
        restored = layers.MomentumTarget.from_config(config)
        self.assertEqual(restored.get_config(), config)
        self.assertTrue(restored.built)
        numpy_args = layers.MomentumTarget(target.online, np.float32(0.5), "cosine", np.int64(4))
        self.assertEqual(json.loads(json.dumps(numpy_args.get_config()))["total_steps"], 4)

        model = tiny_model(momentum=0.5)
        model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.5))
        model.fit(random_normal((16, 5)), batch_size=8, epochs=1, verbose=0)
        path = os.path.join(self.get_temp_dir(), "model.keras")
        model.save(path)
        loaded = keras.saving.load_model(path)
        for key in ("name", "momentum", "schedule", "total_steps"):
            self.assertEqual(loaded.target.get_config()[key], model.target.get_config()[key])
        self.assertIs(loaded.target.online, loaded.online)
        self.assertEqual(int(keras.ops.convert_to_numpy(loaded.target.step)), 2)
        for actual, expected in zip(numpy_of(loaded.weights), numpy_of(model.weights)):
            self.assertAllClose(actual, expected, atol=0)
        self.assertGreater(np.max(np.abs(numpy_of(loaded.target.averaged.weights)[0]
                                          - numpy_of(loaded.online.weights)[0])), 1e-3)

    def test_bad_arguments(self):
        online = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
        with self.assertRaisesRegex(ValueError, r"in \[0, 1\]. Received: momentum=1.5"):
            layers.MomentumTarget(online, momentum=1.5)
        with self.assertRaisesRegex(ValueError, r"in \[0, 1\]. Received: final_momentum=1.01"):
            layers.MomentumTarget(online, schedule="cosine", final_momentum=1.01)
        with self.assertRaisesRegex(ValueError, "final_momentum is for schedule='cosine'.*Received: final_momentum=0.999"):
            layers.MomentumTarget(online, final_momentum=0.999)
        with self.assertRaisesRegex(ValueError, "'constant' or 'cosine'. Received: schedule='linear'"):
            layers.MomentumTarget(online, schedule="linear")
        with self.assertRaisesRegex(ValueError, r"total_steps must be an int >= 1 \(the training steps\). Received: total_steps=0"):
            layers.MomentumTarget(online, schedule="cosine", total_steps=0)
        with self.assertRaisesRegex(ValueError, "set_total_steps is for schedule='cosine'"):
            layers.MomentumTarget(online).set_total_steps(5)
        with self.assertRaisesRegex(ValueError, r"total_steps must be an int >= 1 \(the training steps\). Received: total_steps=2.5"):
            layers.MomentumTarget(online, schedule="cosine").set_total_steps(2.5)
        with self.assertRaisesRegex(ValueError, "total_steps is for schedule='cosine'"):
            layers.MomentumTarget(online, total_steps=10)
        with self.assertRaisesRegex(ValueError, "online must be a keras.layers.Layer"):
            layers.MomentumTarget(lambda x: x)
        unbuilt = layers.MomentumTarget(keras.layers.Dense(2))
        with self.assertRaisesRegex(ValueError, "must be built before its first update"):
            unbuilt.update()
        with self.assertRaisesRegex(ValueError, r"call build\(input_shape\)"):
            unbuilt.build()
        self.assertEqual(tuple(unbuilt(np.ones((4, 3), "float32")).shape), (4, 2))


class MomentumTargetDataParallelTest(TestCase):
    def test_target_on_two_replicas_equals_the_target_on_one_device(self):
        backend = keras.config.backend()
        env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3",
                   XLA_FLAGS="--xla_force_host_platform_device_count=2")
        result = subprocess.run(
            _DISTRIBUTED[backend], env=env, capture_output=True, text=True, timeout=600
        )
        if result.returncode:
            raise AssertionError(result.stderr[-3000:])
        result = json.loads(result.stdout.strip().splitlines()[-1])
        self.assertEqual(result["replicas"], 2)
        self.assertEqual(result["steps"], 3)
        # A target updated from one replica's values, or a BatchNormalization on one
        # replica's batch, is off by a fraction of this change.
        self.assertGreater(result["max_target_change"], 0.05)
        self.assertLess(result["max_online_difference"], 1e-5)
        self.assertLess(result["max_target_difference"], 1e-5)
