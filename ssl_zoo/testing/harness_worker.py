"""The shared task tests' work that needs a process of its own, for many methods at once.

    KERAS_BACKEND=torch python -m ssl_zoo.testing.harness_worker save --out DIR simclr rotnet
    KERAS_BACKEND=jax XLA_FLAGS=--xla_force_host_platform_device_count=4 \\
        python -m ssl_zoo.testing.harness_worker step --devices 4 simclr rotnet
    KERAS_BACKEND=torch torchrun --nproc-per-node 2 -m ssl_zoo.testing.harness_worker step simclr

`save`: each method's tiny task (`harness_data.tiny_task`), trained one epoch on the harness's examples,
is saved to `DIR/<method>` with its `embed` of held-out examples in `DIR/<method>.npy`: the
presets another backend then loads. `step`: one SGD step of each method's tiny task, clipped as
its default optimizer clips (deterministic unless `--random`), on `K` data-parallel replicas and
on one device (engines fix their devices when they start, hence the process); prints one JSON line `{method: {loss_distributed, loss_single,
max_weight_difference, max_weight_change}}` on the chief. `--plugin FILE` runs a file that
registers more methods first (a method defined in a test file).
"""

import argparse
import json
import os
import runpy

import keras
import numpy as np

from ssl_zoo import methods
from ssl_zoo import distribution
from ssl_zoo.testing import harness_data


def save(names, folder):
    for name in names:
        method = methods.get(name)
        task = harness_data.tiny_task(method)
        task.compile()
        task.fit(harness_data.training_examples(method.modality), batch_size=8, epochs=1, verbose=0)
        task.save_to_preset(os.path.join(folder, name))
        np.save(os.path.join(folder, f"{name}.npy"), task.embed(harness_data.held_out_examples(method.modality)))


def step(names, devices, deterministic=True):
    results = {}
    with distribution.DataParallel(devices) as parallel:
        distributed = {name: _one_step(name, deterministic, parallel) for name in names}
    for name in names:
        single = _one_step(name, deterministic)
        initial = _weights(harness_data.tiny_task(methods.get(name), deterministic), trainable=True)
        results[name] = {
            "replicas": parallel.num_replicas,
            "loss_distributed": distributed[name][0],
            "loss_single": single[0],
            "max_weight_difference": _max_difference(distributed[name][1], single[1]),
            "max_weight_change": _max_difference(single[2], initial),
        }
    if parallel.is_chief:
        print(json.dumps(results))


def _one_step(name, deterministic, parallel=None):
    """The loss of one SGD step (clipped as the task's default optimizer clips) of `name`'s tiny
    task, all its weights and its trainable weights after it."""
    method = methods.get(name)
    task = harness_data.tiny_task(method, deterministic)
    # The method's own gradient clipping (DINO's), which must act on the global gradient.
    task.compile(optimizer=keras.optimizers.SGD(learning_rate=0.1, clipnorm=task.default_optimizer().clipnorm))
    x = harness_data.deterministic_batch(method.modality)
    batch_size = len(x)
    if parallel is not None:
        parallel.prepare(task)
        x, batch_size = parallel.shard(x, batch_size)
    history = task.fit(x, batch_size=batch_size, epochs=1, shuffle=False, verbose=0)
    return float(history.history["loss"][0]), _weights(task), _weights(task, trainable=True)


def _weights(task, trainable=False):
    """Every weight's value (the target's, queues and counters included), or the trainable ones."""
    return [keras.ops.convert_to_numpy(w) for w in (task.trainable_weights if trainable else task.weights)]


def _max_difference(weights_a, weights_b):
    return max(float(np.max(np.abs(a - b))) for a, b in zip(weights_a, weights_b))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("work", choices=("save", "step"))
    parser.add_argument("--out", metavar="DIR", help="save: where the presets go")
    parser.add_argument("methods", nargs="+", metavar="METHOD")
    parser.add_argument("--devices", type=int, help="step: replicas in this process (JAX, TensorFlow)")
    parser.add_argument("--random", action="store_true",
                        help="step: the tasks' random draws as they are (where one program draws for all replicas)")
    parser.add_argument("--plugin", action="append", default=[], metavar="FILE",
                        help="a Python file that registers methods, run first")
    args = parser.parse_args()
    for plugin in args.plugin:
        runpy.run_path(plugin)
    if args.work == "save":
        save(args.methods, args.out)
    else:
        step(args.methods, args.devices, deterministic=not args.random)


if __name__ == "__main__":
    main()
