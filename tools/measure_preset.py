"""Measure a preset's representation on a labeled data set; print the metrics as JSON.

Linear probes (frozen features, logistic regression) with 1%, 10% and 100% of the training
labels and a weighted kNN (k=200) with all of them, on the data set's test split. The JSON
is the only output: `tools/build_presets.py` stores it in metadata.json.

    KERAS_BACKEND=tensorflow python tools/measure_preset.py presets/simclr_resnet_fashion_mnist --data fashion_mnist
"""

import argparse
import json
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402

import ssl_zoo  # noqa: E402
from ssl_zoo.cli.evaluate import load_data_for  # noqa: E402
from ssl_zoo.models.task_loading import load_task  # noqa: E402

FRACTIONS = (0.01, 0.1, 1.0)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("preset", help="preset name or folder")
    parser.add_argument("--data", required=True, help="fashion_mnist, wordnet, synthetic or a path")
    args = parser.parse_args()
    model = load_task(args.preset)
    (x_train, y_train), (x_test, y_test), _ = load_data_for(model, args.data)
    f_train = ssl_zoo.evaluation.extract_features(model, x_train, verbose=0)
    f_test = ssl_zoo.evaluation.extract_features(model, x_test, verbose=0)
    metrics = {
        f"linear_probe_{fraction:g}": ssl_zoo.evaluation.linear_probe(f_train, y_train, f_test, y_test, fraction)
        for fraction in FRACTIONS
    }
    predictions = ssl_zoo.evaluation.knn_classify(f_train, y_train, f_test)
    metrics["knn_200"] = float(np.mean(predictions == y_test))
    print(json.dumps({name: round(value, 4) for name, value in metrics.items()}))


if __name__ == "__main__":
    main()
