"""Training throughput of each image method on the running backend, beside SimCLR's measured
in the same run.

    KERAS_BACKEND=jax python tools/bench_methods.py [--methods byol simsiam mocov2] [--json]

Each method is built with its defaults on the same backbone and trained on the same random
images; the figure is images per second of one training step (the median over the timed
steps), SimCLR's is measured first, and the ratio is method / SimCLR. BYOL and MoCo run the
backbone four times a step (two views, online and target) where SimCLR and SimSiam run it
twice (as Barlow Twins and VICReg), so a ratio near 0.5 is their expected cost. DINO runs the
student on 2 global views and 6 local crops (each about 0.18 of a view's pixels) and the
teacher on the 2 global views. Jigsaw runs the backbone once on 4 tiles of (12/28)^2 of
the image each (a 2x2 grid on 28 px images).
"""

import argparse
import json
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import numpy as np  # noqa: E402

import ssl_zoo  # noqa: E402
from bench_train import images_per_second  # noqa: E402

COMPARED_METHODS = ("byol", "simsiam", "mocov2", "mocov3", "barlow_twins", "vicreg", "dino", "jigsaw")


def method_rate(name, x, batch_size, backbone, warmup):
    keras.utils.set_random_seed(0)
    task_class = ssl_zoo.methods.get(name).task_class()
    model = task_class(ssl_zoo.backbones.build_backbone(backbone, x.shape[1:]))
    model.compile()
    return images_per_second(model, x, None, batch_size, warmup)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    registered = sorted(n for n, m in ssl_zoo.methods.registered().items() if m.modality == "images")
    parser.add_argument("--methods", nargs="+", choices=registered,
                        default=[n for n in COMPARED_METHODS if n in registered])
    parser.add_argument("--backbone", default="resnet_tiny", choices=sorted(ssl_zoo.backbones.BACKBONES))
    parser.add_argument("--batch-size", type=int, default=256)
    parser.add_argument("--steps", type=int, default=6, help="timed steps (after 2 warm-up steps)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    warmup = 2
    n = args.batch_size * (args.steps + warmup)
    x = np.random.default_rng(0).integers(0, 256, (n, 28, 28, 1)).astype("float32")
    simclr = method_rate("simclr", x, args.batch_size, args.backbone, warmup)
    for name in args.methods:
        rate = method_rate(name, x, args.batch_size, args.backbone, warmup)
        result = {
            "backend": keras.config.backend(),
            "method": name,
            "backbone": args.backbone,
            "batch_size": args.batch_size,
            "images_per_s": round(rate, 1),
            "simclr_images_per_s": round(simclr, 1),
            "ratio": round(rate / simclr, 3),
        }
        if args.json:
            print(json.dumps(result))
        else:
            print(
                f"{result['backend']:<10} {name:<8} {args.backbone}, batch {args.batch_size}: "
                f"{result['images_per_s']} img/s, SimCLR {result['simclr_images_per_s']} img/s, "
                f"ratio {result['ratio']}"
            )


if __name__ == "__main__":
    main()
