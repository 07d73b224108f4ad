"""One SGD step of a tiny SimCLR on K replicas and on one device; prints the differences.

    XLA_FLAGS=--xla_force_host_platform_device_count=4 KERAS_BACKEND=jax \\
        python -m ssl_zoo.testing.data_parallel_step --devices 4
    KERAS_BACKEND=tensorflow python -m ssl_zoo.testing.data_parallel_step --devices 2
    KERAS_BACKEND=torch torchrun --nproc-per-node 2 -m ssl_zoo.testing.data_parallel_step

Runs in a fresh process because devices are fixed when an engine starts. With
`--augment random` the views are random (equal on both sides only where one program draws
them for the global batch, i.e. JAX); `--augment fixed` makes every random draw a no-op
(whole-image crops, no color change, mirror-symmetric images), so replicas see the views a
single device sees whatever their random streams.
"""

import argparse
import json

import keras
import numpy as np

from ssl_zoo import distribution
from ssl_zoo import models
from ssl_zoo.testing.tiny import random_images
from ssl_zoo.testing.tiny import tiny_backbone


def tiny_model(augment):
    """The same tiny SimCLR on every call: seeded initialization and augmentations."""
    keras.utils.set_random_seed(0)
    fixed = dict(crop_scale=(1.0, 1.0), jitter_strength=0.0) if augment == "fixed" else {}
    return models.SimCLR(tiny_backbone(), projection_dim=4, projection_hidden_dim=8, seed=1, **fixed)


def one_step(images, augment, parallel=None, global_batch_size=None):
    """The loss of one SGD step on `images` and the weights after it (NumPy)."""
    model = tiny_model(augment)
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.1))
    batch_size = len(images)
    if parallel is not None:
        parallel.prepare(model)
        images, batch_size = parallel.shard(images, global_batch_size)
    history = model.fit(images, batch_size=batch_size, epochs=1, shuffle=False, verbose=0)
    return history.history["loss"][0], [keras.ops.convert_to_numpy(w) for w in model.weights]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, help="replicas in this process (JAX, TensorFlow)")
    parser.add_argument("--augment", choices=("random", "fixed"), default="fixed")
    parser.add_argument("--batch-size", type=int, default=8)
    args = parser.parse_args()
    images = random_images(args.batch_size).astype("float32")[..., None]
    if args.augment == "fixed":
        images = (images + images[:, :, ::-1]) / 2  # flips leave the images unchanged
    with distribution.DataParallel(args.devices) as parallel:
        distributed = one_step(images, args.augment, parallel, args.batch_size)
    single = one_step(images, args.augment)
    initial = [keras.ops.convert_to_numpy(w) for w in tiny_model(args.augment).weights]
    if parallel.is_chief:
        print(json.dumps({
            "replicas": parallel.num_replicas,
            "loss_distributed": float(distributed[0]),
            "loss_single": float(single[0]),
            "max_weight_difference": _max_difference(distributed[1], single[1]),
            "max_weight_change": _max_difference(single[1], initial),
        }))


def _max_difference(weights_a, weights_b):
    return max(float(np.max(np.abs(a - b))) for a, b in zip(weights_a, weights_b))


if __name__ == "__main__":
    main()
