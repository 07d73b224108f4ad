"""Test accuracy against the share of labels: a preset, the same network from scratch, and
the inputs themselves, measured in one run."""

import keras

from ssl_zoo.evaluation.baselines import input_baseline
from ssl_zoo.evaluation.baselines import input_baseline_name
from ssl_zoo.evaluation.features import extract_features
from ssl_zoo.evaluation.fine_tune import fine_tune
from ssl_zoo.evaluation.linear_probe import linear_probe
from ssl_zoo.models import load_task
from ssl_zoo.models.image_inputs import image_shape_of

FRACTIONS = (0.01, 0.1, 1.0)


def label_efficiency(
    preset, x_train, y_train, x_test, y_test, fractions=FRACTIONS, seed=0, log=print, min_steps=500,
    verbose=0,
):
    """Measure how much each share of the labels is worth with and without the preset.

    For each fraction (the same class-balanced subset for every row): a linear probe on the
    preset's frozen features, the preset fine-tuned (`fine_tune`), the same architecture
    trained from scratch (`fine_tune(..., from_scratch=True)`), and a logistic regression
    on the raw inputs (`input_baseline`: pixels or TF-IDF).

    Args:
        preset: str. Built-in preset name or preset folder.
        x_train, y_train, x_test, y_test: a labeled data set (images in [0, 255] or texts).
        fractions: floats in (0, 1].
        seed: int. Seed of the label subsets and of the training runs.
        log: callable taking a str, for a line before each phase (None: silent).
        min_steps: int. Fewest optimizer steps of each training run (`fine_tune`).
        verbose: int. Keras progress verbosity of the feature extraction and of each
            training run (0: none, 1: a live bar, 2: a line per epoch).

    Returns:
        dict: `fractions`, `accuracy` (`{row name: [accuracy per fraction]}`), `preset`,
        `backend`, and `test_features` (the preset's features of `x_test`, for plots).
    """
    log = log or (lambda line: None)
    model = load_task(preset, image_shape=image_shape_of(x_train))
    log(f"Extracting features of {len(x_train):,} + {len(x_test):,} examples")
    f_train = extract_features(model, x_train, verbose=verbose)
    f_test = extract_features(model, x_test, verbose=verbose)
    baseline = input_baseline_name(model.modality)
    rows = {"linear probe": [], "fine-tuned": [], "from scratch": [], baseline: []}
    for fraction in fractions:
        def run(name, measure):
            log(f"Labels {fraction:.0%}: {name}")
            rows[name].append(measure())

        run("linear probe", lambda: linear_probe(f_train, y_train, f_test, y_test, fraction, seed))
        for name, from_scratch in (("fine-tuned", False), ("from scratch", True)):
            run(name, lambda: fine_tune(
                preset, x_train, y_train, x_test, y_test, fraction, from_scratch=from_scratch,
                seed=seed, min_steps=min_steps, verbose=verbose,
            ))
        run(baseline, lambda: input_baseline(x_train, y_train, x_test, y_test, fraction, seed, model.modality))
        log("  " + "  ".join(f"{name} {values[-1]:.1%}" for name, values in rows.items()))
    return {
        "preset": preset,
        "backend": keras.config.backend(),
        "fractions": list(fractions),
        "accuracy": rows,
        "test_features": f_test,
    }
