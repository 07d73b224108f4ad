"""Pretrain a method on Fashion-MNIST, then check that it learned and did not collapse.

    KERAS_BACKEND=jax python tools/check_collapse.py byol --epochs 4 [--backbone resnet_tiny] [--json]

Runs `ssl-zoo pretrain METHOD --data fashion_mnist` (batch 256, cosine schedule, the method's
defaults) into a temporary preset and measures, on the 10,000 test images:

- collapse: the standard deviation of each dimension of the L2-normalized projections `z`
  (the encoder's output), against `0.5 / sqrt(d)`: unit vectors spread over the sphere give
  about `1 / sqrt(d)`, a collapsed network about 0 (Chen & He 2021, Sec. 4.1). The mean over
  the dimensions and the smallest are printed.
  DINO's encoder ends in scores against its prototypes, so its embedding is the head's
  L2-normalized bottleneck, the input of those scores.
- learning: the weighted kNN accuracy (k=200, the grid features `embed` gives) of the trained
  backbone against the same task at random initialization, measured in this run.
- the last epoch's mean training loss and accuracies (jigsaw's `permutation_accuracy`), from
  the pretraining's log; for DINO against `ln K`, the loss of a teacher and student that
  output the uniform distribution (Caron et al. 2021, Sec. 5.3: one of DINO's two collapses).

A task without an encoder (jigsaw, a pretext classifier) has no spread to measure.

Prints the pretraining time, so a run can be held to a budget (20 minutes in the method issues).
"""

import argparse
import json
import math
import os
import re
import subprocess
import sys
import tempfile
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
import numpy as np  # noqa: E402

import ssl_zoo  # noqa: E402
from ssl_zoo.models.task_loading import load_task  # noqa: E402


def knn_accuracy(task, x_train, y_train, x_test, y_test):
    f_train = ssl_zoo.evaluation.extract_features(task, x_train, verbose=0)
    f_test = ssl_zoo.evaluation.extract_features(task, x_test, verbose=0)
    return float(np.mean(ssl_zoo.evaluation.knn_classify(f_train, y_train, f_test) == y_test))


def embeddings(task, images):
    """The encoder's output; for DINO the head's bottleneck (what its prototypes score)."""
    if not isinstance(task, ssl_zoo.models.DINO):
        return task.encoder.predict(images, batch_size=512, verbose=0)
    pooled = keras.Model(task.encoder.input, task.encoder.get_layer("features").output)
    features = pooled.predict(images, batch_size=512, verbose=0)
    return keras.ops.convert_to_numpy(task.head.mlp(features, training=False))


def projection_spread(task, x):
    """(mean, min) over the dimensions of the std of the unit projections, and d."""
    images = np.asarray(task.prepare_inputs(x), "float32") / 255.0  # (n, H, W, C) in [0, 1]
    z = np.asarray(embeddings(task, images), np.float64)
    z /= np.linalg.norm(z, axis=1, keepdims=True)
    std = z.std(axis=0)
    return float(std.mean()), float(std.min()), z.shape[1]


def pretrain(command):
    """Run `command`, echoing its output; the output, for the loss it logs."""
    lines = []
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as process:
        for line in process.stdout:
            print(line, end="", flush=True)
            lines.append(line)
    if process.returncode:
        raise subprocess.CalledProcessError(process.returncode, command)
    return "".join(lines)


def last_epoch_metrics(log):
    """`{name: value}` of the last epoch's line (`... - loss: 7.1234 - permutation_accuracy: 0.9`)."""
    lines = [line for line in log.splitlines() if re.search(r"\bloss: ", line)]
    pairs = re.findall(r"(\w+): ([-+0-9.eE]+|nan|inf)", lines[-1]) if lines else []
    return {name: float(value) for name, value in pairs}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("method", help="an image method (byol, simsiam, mocov2, mocov3, barlow_twins, vicreg, dino, jigsaw)")
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--backbone", default="resnet_tiny", choices=sorted(ssl_zoo.backbones.BACKBONES))
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    (x_train, y_train), (x_test, y_test) = ssl_zoo.data.load_fashion_mnist()
    keras.utils.set_random_seed(0)
    method = ssl_zoo.methods.get(args.method)
    random_task = method.task_class()(ssl_zoo.backbones.build_backbone(args.backbone, x_train.shape[1:] + (1,)))
    knn_random = knn_accuracy(random_task, x_train, y_train, x_test, y_test)

    with tempfile.TemporaryDirectory() as folder:
        out = os.path.join(folder, args.method)
        start = time.perf_counter()
        log = pretrain(
            [sys.executable, "-m", "ssl_zoo", "pretrain", args.method, "--data", "fashion_mnist",
             "--out", out, "--backbone", args.backbone, "--epochs", str(args.epochs),
             "--batch-size", "256", "--schedule", "cosine", "--knn-every", "0"]
        )
        seconds = time.perf_counter() - start
        task = load_task(out)
    knn_trained = knn_accuracy(task, x_train, y_train, x_test, y_test)
    metrics = last_epoch_metrics(log)
    loss = metrics.get("loss")
    result = {
        "backend": keras.config.backend(),
        "method": args.method,
        "backbone": args.backbone,
        "epochs": args.epochs,
        "pretrain_minutes": round(seconds / 60, 1),
        "knn_random_init": round(knn_random, 4),
        "knn_trained": round(knn_trained, 4),
        "knn_margin": round(knn_trained - knn_random, 4),
        "last_epoch_loss": loss,
        "learned": bool(knn_trained > knn_random),
    }
    accuracies = {name: value for name, value in metrics.items() if name.endswith("_accuracy")}
    result.update(accuracies)
    spread = ""
    if hasattr(task, "encoder"):  # a pretext classifier (jigsaw) has no embedding to collapse
        std_mean, std_min, d = projection_spread(task, x_test)
        result.update({
            "z_std_mean": round(std_mean, 4),
            "z_std_min": round(std_min, 4),
            "collapse_threshold": round(0.5 / np.sqrt(d), 4),
            "collapsed": bool(std_mean <= 0.5 / np.sqrt(d)),
        })
        spread = (f"; std of unit z {std_mean:.4f} mean, {std_min:.4f} min, threshold 0.5/sqrt({d}) = "
                  f"{result['collapse_threshold']}")
    if isinstance(task, ssl_zoo.models.DINO):
        result["uniform_loss_ln_k"] = round(math.log(task.num_prototypes), 4)
    if args.json:
        print(json.dumps(result))
    else:
        print(
            f"{result['backend']} {args.method} ({args.backbone}, {args.epochs} epochs, "
            f"{result['pretrain_minutes']} min): kNN {knn_trained:.2%} vs {knn_random:.2%} at random "
            f"init (margin {result['knn_margin']:+.2%}){spread}; last epoch's loss {loss}"
            + (f" vs ln K = {result['uniform_loss_ln_k']}" if "uniform_loss_ln_k" in result else "")
            + "".join(f", {name} {value}" for name, value in accuracies.items())
        )


if __name__ == "__main__":
    main()
