"""Fine-tune a classifier from a preset on a fraction of the labels; test accuracy."""

import math

import keras
import numpy as np

from ssl_zoo import arguments
from ssl_zoo.evaluation.linear_probe import check_probe_labels
from ssl_zoo.evaluation.linear_probe import label_subset
from ssl_zoo.models import task_class
from ssl_zoo.models.image_inputs import image_shape_of


def fine_tune(
    preset, x_train, y_train, x_test, y_test, label_fraction=1.0, num_classes=None,
    from_scratch=False, batch_size=64, min_steps=500, min_epochs=3, head_epochs=None,
    learning_rate=None, seed=0, verbose=0,
):
    """Test accuracy of a classifier built on `preset` and trained on a labeled subset.

    The preset task's `classifier_class()` (`ImageClassifier` for images, at the images'
    shape, `TextClassifier` for texts; `from_preset(preset, num_classes)`), trained by linear probing, then fine-tuning (LP-FT; Kumar et al.,
    "Fine-Tuning can Distort Pretrained Features", ICLR 2022):

    1. the head alone on the frozen backbone, `head_epochs` epochs at `learning_rate`, so
       that full training starts from a fitted head, not from a random one whose gradients
       would scramble the pretrained features first;
    2. the whole network with the classifier's optimizer (AdamW) for `max(min_epochs,
       ceil(min_steps / steps per epoch))` epochs, so a 1% subset gets as many updates as a
       large one, the rate rising linearly from 0 over the first tenth of the steps to
       `learning_rate`, then decaying to 0 along a cosine (`warmup_cosine`).

    The rate decays because a constant one stops wherever the last noisy step left the
    weights. `from_scratch=True` trains the same architecture from random weights by step 2
    alone (a head fitted to random features protects nothing): the baseline the preset must
    beat. Both steps were chosen on validation splits carved from the training data
    (docs/decisions.md).

    Args:
        preset: str. Built-in preset name or preset folder.
        x_train: images `(n, H, W[, C])` in [0, 255], or `n` texts.
        y_train: int array `(n,)`.
        x_test: like `x_train`.
        y_test: int array `(m,)`.
        label_fraction: float in (0, 1]. Share of training labels used (class-balanced,
            the subset `linear_probe` uses).
        num_classes: int. Default: `max(y_train, y_test) + 1`.
        from_scratch: bool. Ignore the preset's weights.
        batch_size: int. Examples per step.
        min_steps: int. Fewest optimizer steps.
        min_epochs: int. Fewest passes over the subset.
        head_epochs: int. Epochs of the head alone first. None: as many as the whole
            network's on a preset's weights, none from scratch; 0: none.
        learning_rate: float. Peak rate, or None for the classifier's `default_learning_rate`.
        seed: int. Seed of the subset, the head's initialization and the shuffling.
        verbose: int. Keras progress bar verbosity.

    Returns:
        float: accuracy on the test set.

    Example:
    ```python
    acc = ssl_zoo.evaluation.fine_tune("simclr_resnet_fashion_mnist", x, y, x_test, y_test, 0.01)
    ```
    """
    y_train = arguments.class_ids(y_train, "y_train")
    y_test = arguments.class_ids(y_test, "y_test")
    for name, x, y in (("x_train", x_train, y_train), ("x_test", x_test, y_test)):
        if len(x) != len(y):
            raise ValueError(
                f"{name} has {len(x)} examples but its labels {len(y)}; they must match."
            )
    check_probe_labels(y_train, y_test, ("y_train", "y_test"))
    if num_classes is None:
        num_classes = int(max(y_train.max(), y_test.max())) + 1
    # keras-hub's fit does not shuffle arrays it preprocesses (texts): mix the classes once.
    subset = np.random.default_rng(seed).permutation(label_subset(y_train, label_fraction, seed))
    keras.utils.set_random_seed(seed)
    classifier_cls = task_class(preset).classifier_class()
    image_shape = image_shape_of(x_train)  # images of another shape: the stem adapted
    classifier = classifier_cls.from_preset(
        preset, num_classes=num_classes, load_weights=not from_scratch,
        **({} if image_shape is None else {"image_shape": image_shape}),
    )
    steps_per_epoch = math.ceil(len(subset) / batch_size)
    epochs = max(min_epochs, math.ceil(min_steps / steps_per_epoch))
    if learning_rate is None:
        learning_rate = classifier.default_learning_rate
    if head_epochs is None:
        head_epochs = 0 if from_scratch else epochs
    x_subset = x_train[subset] if isinstance(x_train, np.ndarray) else [x_train[i] for i in subset]
    if head_epochs:
        classifier.set_backbone_trainable(False)
        classifier.compile(learning_rate=learning_rate)
        classifier.fit(x_subset, y_train[subset], batch_size=batch_size, epochs=head_epochs, verbose=verbose)
        classifier.set_backbone_trainable(True)
    classifier.compile(learning_rate=warmup_cosine(learning_rate, epochs * steps_per_epoch))
    classifier.fit(x_subset, y_train[subset], batch_size=batch_size, epochs=epochs, verbose=verbose)
    results = classifier.evaluate(x_test, y_test, batch_size=256, verbose=verbose, return_dict=True)
    return float(results["accuracy"])


def warmup_cosine(peak, total_steps, warmup_share=0.1):
    """Learning rate rising linearly from 0 to `peak` over `warmup_share` of `total_steps`,
    then falling to 0 along a half cosine by the last step."""
    warmup_steps = int(total_steps * warmup_share)
    return keras.optimizers.schedules.CosineDecay(
        0.0, total_steps - warmup_steps, warmup_target=peak, warmup_steps=warmup_steps
    )
