"""The tiny tasks and the examples the shared task tests feed every method, per modality."""

import keras

from ssl_zoo.testing import tiny
from ssl_zoo.testing.tiny import random_images


def tiny_task(method, deterministic=False):
    """`method`'s small seeded task (`Method.tiny`); deterministic: with `Method.deterministic`.

    A dict `tiny` is keyword arguments of an image task on a 16 x 16 gray backbone of
    `ssl_zoo.testing.tiny` (`Method.tiny_backbone`, `tiny_backbone()` by default).
    """
    if callable(method.tiny):
        return method.tiny(deterministic=deterministic)
    keras.utils.set_random_seed(0)
    kwargs = {**method.tiny, **(method.deterministic if deterministic else {})}
    return method.task_class()(getattr(tiny, method.tiny_backbone)(), **kwargs)


def training_examples(modality):
    """16 unlabeled examples: 16 x 16 gray images `(16, 16, 16, 1)` uint8, or synthetic texts."""
    if modality == "texts":
        return _texts(16, seed=0)
    return random_images(16)[..., None]


def held_out_examples(modality):
    """5 other examples of the same kind."""
    if modality == "texts":
        return _texts(5, seed=3)
    return random_images(5, seed=3)[..., None]


def deterministic_batch(modality):
    """8 examples on which a `tiny(deterministic=True)` task draws nothing that matters:
    mirror-symmetric images (a flip leaves them unchanged), as float32."""
    images = random_images(8).astype("float32")[..., None]
    return (images + images[:, :, ::-1]) / 2


def _texts(n, seed):
    from ssl_zoo.data import load_synthetic_texts

    return list(load_synthetic_texts(num_texts=n, seed=seed)[0])
