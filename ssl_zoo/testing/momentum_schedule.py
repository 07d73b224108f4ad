"""A momentum target's cosine EMA checked against a float64 oracle over `fit` (tests only)."""

import math

import keras
import numpy as np

from ssl_zoo.testing.tiny import random_images


def numpy_of(variables):
    """The values of `variables` as float64 NumPy arrays."""
    return [np.asarray(keras.ops.convert_to_numpy(v), np.float64) for v in variables]


def cosine_momentum(k, base, total_steps, final=1.0):
    """BYOL, Sec. 3.2: tau_k = final - (final - base) (cos(pi k / K) + 1) / 2, held past K
    (`final` 1, BYOL's; solo-learn's MoCo v2+ ends at 0.999)."""
    return final - (final - base) * (math.cos(math.pi * min(k, total_steps) / total_steps) + 1) / 2


class RecordWeights(keras.callbacks.Callback):
    """`history`: the weights of `network` (part of the model fit) before the first step and
    after each step."""

    def __init__(self, network):
        super().__init__()
        self.network = network
        self.history = [numpy_of(network.weights)]

    def on_train_batch_end(self, batch, logs=None):
        self.model  # under JAX, reading the model syncs the step's state into the variables
        self.history.append(numpy_of(self.network.weights))


def check_cosine_ema_over_fit(test, model):
    """Assert `model.target` follows the cosine EMA of `model.encoder` over `fit`'s steps.

    `model` is an untrained image task of 16 x 16 gray images (`MomentumTwoViewTask`) with a
    momentum well below 1 (0.5), so that its target moves. It is fit for 3 steps with SGD;
    the schedule's length must be those steps and each update's momentum BYOL's cosine; the
    target's averaged weights must equal the float64 EMA of the online weights recorded
    before each step; a second `fit` of 2 steps extends the schedule to 5.

    Args:
        test: the `TestCase` that asserts.
        model: the task, not compiled.
    """
    base = model.momentum
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.5))
    x, batch_size, steps = random_images(12)[..., None], 4, 3
    recorder = RecordWeights(model.encoder)
    model.fit(x, batch_size=batch_size, epochs=1, shuffle=False, verbose=0, callbacks=[recorder])

    test.assertEqual(int(keras.ops.convert_to_numpy(model.target.schedule_steps)), steps)
    for k in range(steps + 2):
        test.assertAllClose(model.target.momentum_at(k), cosine_momentum(k, base, steps), atol=1e-7)
    # Float64 oracle: update k runs at the start of step k on the online weights the step
    # before left, t <- m_k t + (1 - m_k) s_k; only trainable weights are averaged.
    trainable = [any(w is v for v in model.encoder.trainable_weights) for w in model.encoder.weights]
    target = [w.copy() for w in recorder.history[0]]
    for k in range(steps):
        m = cosine_momentum(k, base, steps)
        target = [m * t + (1 - m) * s if train else t
                  for t, s, train in zip(target, recorder.history[k], trainable)]
    actual = numpy_of(model.target.averaged.weights)
    for a, e, train in zip(actual, target, trainable):
        if train:
            test.assertAllClose(a, e, atol=1e-6)
    test.assertEqual(int(keras.ops.convert_to_numpy(model.target.step)), steps)
    moved = max(np.max(np.abs(a - s)) for a, s, t in zip(actual, recorder.history[0], trainable) if t)
    test.assertGreater(moved, 0.01)
    # A second fit runs the schedule from the step reached to the end of its own steps.
    model.fit(x[:8], batch_size=batch_size, epochs=1, verbose=0)
    test.assertEqual(int(keras.ops.convert_to_numpy(model.target.schedule_steps)), steps + 2)
