"""Probe an MLM preset on WordNet's lexicographer labels, beside TF-IDF in the same run.

Reports the held-out masked-token accuracy on the 10,000 test glosses of
`ssl_zoo.data.load_texts("wordnet")`, then a linear probe on the frozen mean-pooled
encoder features with 1%, 10% and 100% of the training labels, and a TF-IDF logistic
regression (sklearn) on the same label subsets.

    ssl-zoo pretrain mlm --data wordnet --out mlm_wordnet
    KERAS_BACKEND=tensorflow python tools/eval_mlm_wordnet.py mlm_wordnet [--json]
"""

import argparse
import json
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import numpy as np  # noqa: E402
from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402

import ssl_zoo  # noqa: E402
from ssl_zoo import evaluation  # noqa: E402

FRACTIONS = (0.01, 0.1, 1.0)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("preset", help="a MaskedLM preset folder")
    parser.add_argument("--json", action="store_true", help="print JSON instead of lines")
    args = parser.parse_args()

    keras.utils.set_random_seed(0)
    model = ssl_zoo.models.MaskedLM.from_preset(args.preset)
    (x_train, y_train), (x_test, y_test), _ = ssl_zoo.data.load_texts("wordnet")
    start = time.perf_counter()
    result = {
        "preset": args.preset,
        "backend": keras.config.backend(),
        "masked_accuracy": model.evaluate(x_test, batch_size=256, verbose=0, return_dict=True)["masked_accuracy"],
    }
    f_train = evaluation.extract_features(model, x_train)
    f_test = evaluation.extract_features(model, x_test)
    tfidf = TfidfVectorizer()
    t_train, t_test = tfidf.fit_transform(x_train), tfidf.transform(x_test)
    for fraction in FRACTIONS:
        result[f"mlm_linear_{fraction:g}"] = evaluation.linear_probe(f_train, y_train, f_test, y_test, fraction)
        subset = evaluation.label_subset(y_train, fraction)
        classifier = LogisticRegression(max_iter=1000).fit(t_train[subset], y_train[subset])
        result[f"tfidf_linear_{fraction:g}"] = float(np.mean(classifier.predict(t_test) == y_test))
    result["seconds"] = time.perf_counter() - start
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"held-out masked-token accuracy: {result['masked_accuracy']:.4f}")
    for fraction in FRACTIONS:
        print(f"labels {fraction:>5.0%}: MLM linear probe {result[f'mlm_linear_{fraction:g}']:.4f}   "
              f"TF-IDF logistic regression {result[f'tfidf_linear_{fraction:g}']:.4f}")


if __name__ == "__main__":
    main()
