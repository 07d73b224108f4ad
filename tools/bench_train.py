"""SimCLR training throughput on the running backend, beside supervised training of the
same backbone measured in the same run.

    KERAS_BACKEND=tensorflow python tools/bench_train.py [--backbone resnet_small] [--json]

SimCLR encodes two augmented views per image, so a ratio near 0.5 means the SSL step costs
what two supervised steps cost; less than that is augmentation or loss overhead.
"""

import argparse
import json
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import numpy as np  # noqa: E402

import ssl_zoo  # noqa: E402


class StepTimer(keras.callbacks.Callback):
    """Wall time of every training batch after the first `warmup` ones."""

    def __init__(self, warmup):
        super().__init__()
        self.warmup = warmup
        self.times = []

    def on_train_batch_begin(self, batch, logs=None):
        self.start = time.perf_counter()

    def on_train_batch_end(self, batch, logs=None):
        if batch >= self.warmup:
            self.times.append(time.perf_counter() - self.start)


def images_per_second(model, x, y, batch_size, warmup):
    timer = StepTimer(warmup)
    model.fit(x, y, batch_size=batch_size, epochs=1, verbose=0, callbacks=[timer])
    return batch_size / float(np.median(timer.times))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backbone", default="resnet_small", choices=sorted(ssl_zoo.backbones.BACKBONES))
    parser.add_argument("--batch-size", type=int, default=256)
    parser.add_argument("--steps", type=int, default=6, help="timed steps (after 2 warm-up steps)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    warmup = 2
    n = args.batch_size * (args.steps + warmup)
    rng = np.random.default_rng(0)
    x = rng.integers(0, 256, (n, 28, 28, 1)).astype("float32")
    y = rng.integers(0, 10, n)

    keras.utils.set_random_seed(0)
    simclr = ssl_zoo.models.SimCLR(ssl_zoo.backbones.build_backbone(args.backbone, (28, 28, 1)))
    simclr_rate = images_per_second(simclr, x, None, args.batch_size, warmup)

    backbone = ssl_zoo.backbones.build_backbone(args.backbone, (28, 28, 1))
    inputs = keras.Input((28, 28, 1))
    pooled = keras.layers.GlobalAveragePooling2D()(backbone(keras.layers.Rescaling(1 / 255)(inputs)))
    supervised = keras.Model(inputs, keras.layers.Dense(10)(pooled))
    supervised.compile(
        optimizer=keras.optimizers.AdamW(1e-3),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    )
    supervised_rate = images_per_second(supervised, x, y, args.batch_size, warmup)

    result = {
        "backend": keras.config.backend(),
        "backbone": args.backbone,
        "parameters": backbone.count_params(),
        "batch_size": args.batch_size,
        "simclr_images_per_s": round(simclr_rate, 1),
        "supervised_images_per_s": round(supervised_rate, 1),
        "ratio": round(simclr_rate / supervised_rate, 3),
    }
    if args.json:
        print(json.dumps(result))
    else:
        print(
            f"{result['backend']:<10} {args.backbone} ({result['parameters']:,} params), batch "
            f"{args.batch_size}: SimCLR {result['simclr_images_per_s']} img/s, supervised "
            f"{result['supervised_images_per_s']} img/s, ratio {result['ratio']}"
        )


if __name__ == "__main__":
    main()
