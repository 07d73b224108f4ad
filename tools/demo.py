"""`make demo`: pretrain SimCLR on Fashion-MNIST for a few CPU minutes, then probe it.

Prints linear-probe test accuracy with 1% and 100% of the labels beside a raw-pixel
logistic regression measured in the same run, and leaves the preset in demo_out/.

    KERAS_BACKEND=tensorflow python tools/demo.py [--epochs 3] [--limit 20000]
"""

import argparse
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402

import ssl_zoo  # noqa: E402
from ssl_zoo import evaluation  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--limit", type=int, default=15000, help="unlabeled images used for pretraining")
    parser.add_argument("--backbone", default="resnet_tiny")
    parser.add_argument("--out", default="demo_out/simclr_resnet_tiny_fashion_mnist")
    args = parser.parse_args()

    keras.utils.set_random_seed(0)
    (x_train, y_train), (x_test, y_test) = ssl_zoo.data.load_fashion_mnist()
    model = ssl_zoo.models.SimCLR(
        ssl_zoo.backbones.build_backbone(args.backbone, (28, 28, 1)), seed=0
    )
    print(f"SimCLR pretraining on {args.limit:,} unlabeled Fashion-MNIST images, "
          f"{args.epochs} epochs, backend {keras.config.backend()}")
    start = time.perf_counter()
    monitor = evaluation.KNNMonitor(x_train[:5000], y_train[:5000], x_test[:2000], y_test[:2000])
    model.fit(x_train[: args.limit], batch_size=256, epochs=args.epochs, callbacks=[monitor])
    print(f"Pretraining took {time.perf_counter() - start:.0f} s")
    model.save_to_preset(args.out)

    print("Linear probes on the frozen representation (Fashion-MNIST test set, 10,000 images)")
    f_train = evaluation.extract_features(model, x_train, verbose=1)
    f_test = evaluation.extract_features(model, x_test, verbose=1)
    pixels_train = x_train.reshape(len(x_train), -1) / 255.0
    pixels_test = x_test.reshape(len(x_test), -1) / 255.0
    rows = []
    for fraction in (0.01, 1.0):
        rows.append((
            fraction,
            evaluation.linear_probe(f_train, y_train, f_test, y_test, fraction),
            evaluation.linear_probe(pixels_train, y_train, pixels_test, y_test, fraction),
        ))
    print(f"{'labels':>8}  {'SimCLR':>8}  {'raw pixels':>10}")
    for fraction, simclr, pixels in rows:
        print(f"{fraction:>8.0%}  {simclr:>8.1%}  {pixels:>10.1%}")
    print(f"Preset saved to {args.out}")


if __name__ == "__main__":
    main()
