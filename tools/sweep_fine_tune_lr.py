"""Pick a fine-tuning learning rate on a validation split carved from the training data.

The test split is never read: `validation` training examples (chosen with `--seed`) are set
aside, and `ssl_zoo.evaluation.fine_tune` trains on `--labels` of the rest at each rate and
reports accuracy on them. This is how `Classifier.default_learning_rate`, the peak of the
warmup and cosine decay, was chosen (once more with `--from-scratch`):

    KERAS_BACKEND=tensorflow python tools/sweep_fine_tune_lr.py mlm_bert_tiny_wordnet \\
        --data wordnet --labels 0.1 --learning-rates 3e-4 1e-3 3e-3
"""

import argparse
import json

import numpy as np

from ssl_zoo import evaluation
from ssl_zoo import models
from ssl_zoo.cli.evaluate import load_data_for


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("preset", help="built-in preset name or preset folder")
    parser.add_argument("--data", required=True, help="data set name or folder, as for `ssl-zoo evaluate`")
    parser.add_argument("--labels", type=float, default=0.1, help="share of the remaining training labels (default: %(default)s)")
    parser.add_argument("--learning-rates", type=float, nargs="+", required=True, metavar="LR", help="peak learning rates to compare")
    parser.add_argument("--validation", type=int, default=10000, help="training examples set aside (default: %(default)s)")
    parser.add_argument("--from-scratch", action="store_true", help="sweep the same network from random weights")
    parser.add_argument("--seed", type=int, default=123, help="seed of the validation split (default: %(default)s)")
    args = parser.parse_args()
    model = models.load_task(args.preset, load_weights=False)
    (x, y), _, _ = load_data_for(model, args.data)
    y = np.asarray(y)
    if not 0 < args.validation < len(y):
        parser.error(f"--validation must be in (0, {len(y)}). Received: {args.validation}")
    order = np.random.default_rng(args.seed).permutation(len(y))
    val, rest = order[: args.validation], order[args.validation :]
    take = (lambda idx: x[idx]) if isinstance(x, np.ndarray) else (lambda idx: [x[i] for i in idx])
    for lr in args.learning_rates:
        accuracy = evaluation.fine_tune(
            args.preset, take(rest), y[rest], take(val), y[val], args.labels,
            num_classes=int(y.max()) + 1, from_scratch=args.from_scratch, learning_rate=lr,
        )
        print(json.dumps({"learning_rate": lr, "from_scratch": args.from_scratch, "validation_accuracy": accuracy}), flush=True)


if __name__ == "__main__":
    main()
