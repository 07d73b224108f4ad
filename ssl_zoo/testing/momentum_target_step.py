"""SGD steps of a tiny model with a momentum target, on K replicas and on one device.

    XLA_FLAGS=--xla_force_host_platform_device_count=2 KERAS_BACKEND=jax \\
        python -m ssl_zoo.testing.momentum_target_step --devices 2
    KERAS_BACKEND=tensorflow python -m ssl_zoo.testing.momentum_target_step --devices 2
    KERAS_BACKEND=torch torchrun --nproc-per-node 2 -m ssl_zoo.testing.momentum_target_step

Prints the largest differences between the two runs' online weights and target state (the
averaged weights, the target's BatchNormalization statistics, its step), as JSON. Runs in a
fresh process because devices are fixed when an engine starts.
"""

import argparse
import json

import keras
import numpy as np

from ssl_zoo import distribution
from ssl_zoo import layers


@keras.saving.register_keras_serializable(package="ssl_zoo.testing")
class TinyMomentumModel(keras.Model):
    """BYOL in miniature: `p = predictor(online(x))` regressed on the target's `target(x)`.

    online: Dense(4, no bias), BatchNormalization, ReLU, Dense(3); predictor: Dense(3).
    Loss: `mean((p - target(x))^2)` over the global batch, the target updated first.

    Args:
        features: int. Width of the inputs `(B, features)`.
        momentum, schedule, total_steps: the `ssl_zoo.layers.MomentumTarget`'s.
    """

    def __init__(self, features=5, momentum=0.5, schedule="constant", total_steps=None, **kwargs):
        super().__init__(**kwargs)
        # === Layers ===
        self.online = keras.Sequential(
            [
                keras.Input((features,)),
                keras.layers.Dense(4, use_bias=False),
                keras.layers.BatchNormalization(),
                keras.layers.ReLU(),
                keras.layers.Dense(3),
            ],
            name="online",
        )
        self.predictor = keras.layers.Dense(3, name="predictor")
        self.predictor.build((None, 3))
        self.target = layers.MomentumTarget(
            self.online, momentum, schedule, total_steps, name="target"
        )
        # === Config ===
        self.features = features
        self.momentum = momentum
        self.schedule = schedule
        self.total_steps = total_steps

    def call(self, x, training=False):
        return self.predictor(self.online(x, training=training))

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        if training:
            self.target.update()
        z = self.target(x, training=training)
        p, z = distribution.gather_replicas(y_pred), distribution.gather_replicas(z)  # (global B, 3)
        return distribution.replica_loss(keras.ops.mean(keras.ops.square(p - z)))

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "features": self.features,
                "momentum": self.momentum,
                "schedule": self.schedule,
                "total_steps": self.total_steps,
            }
        )
        return config


def tiny_model(**kwargs):
    """The same `TinyMomentumModel` on every call (seeded initialization)."""
    keras.utils.set_random_seed(0)
    return TinyMomentumModel(**kwargs)


def train(x, steps, batch_size, parallel=None):
    """`steps` SGD steps from `tiny_model()`: (online weights, target state) as NumPy."""
    model = tiny_model(schedule="cosine", total_steps=steps)
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.5))
    x = x[: steps * batch_size]
    if parallel is not None:
        parallel.prepare(model)
        x, batch_size = parallel.shard(x, batch_size)
    model.fit(x, batch_size=batch_size, epochs=1, shuffle=False, verbose=0)
    as_numpy = lambda variables: [keras.ops.convert_to_numpy(v) for v in variables]
    target_state = model.target.averaged.weights + [model.target.step]
    return as_numpy(model.online.weights), as_numpy(target_state)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, help="replicas in this process (JAX, TensorFlow)")
    parser.add_argument("--steps", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=8)
    args = parser.parse_args()
    x = np.random.default_rng(0).normal(size=(args.steps * args.batch_size, 5)).astype("float32")
    with distribution.DataParallel(args.devices) as parallel:
        online_distributed, target_distributed = train(x, args.steps, args.batch_size, parallel)
    online_single, target_single = train(x, args.steps, args.batch_size)
    initial = tiny_model().target.averaged.weights
    if parallel.is_chief:
        print(json.dumps({
            "replicas": parallel.num_replicas,
            "steps": int(target_distributed[-1]),
            "max_online_difference": _max_difference(online_distributed, online_single),
            "max_target_difference": _max_difference(target_distributed, target_single),
            "max_target_change": _max_difference(target_single[:-1], initial),
        }))


def _max_difference(arrays_a, arrays_b):
    return max(
        float(np.max(np.abs(np.asarray(a, np.float64) - np.asarray(b, np.float64))))
        for a, b in zip(arrays_a, arrays_b)
    )


if __name__ == "__main__":
    main()
