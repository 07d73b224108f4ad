"""Representations of images under a trained model."""

import keras
import keras_hub
import numpy as np

from ssl_zoo.models.image_inputs import prepare_images
from ssl_zoo.models.pretext_task import PretextTask


def extract_features(model, images, batch_size=256, verbose=0):
    """The model's representation of each image (or text), as NumPy.

    For an ssl_zoo pretext task (`SimCLR`, `MaskedLM`, ...) this is its `embed`: for image
    tasks every stage of the backbone averaged over the task's `feature_grid` of cells,
    after the task's own preprocessing, augmentation off; for `MaskedLM` the encoder's
    outputs averaged over the tokens of each unmasked text. Another model with a `features`
    layer (an `ImageClassifier`) gives that layer's output. A bare backbone: pixels scaled
    to [0, 1], feature map averaged over space.

    Args:
        model: an ssl_zoo task or a `keras_hub.models.Backbone`.
        images: what the task's `embed` takes: array `(n, H, W[, C])` of pixel values in
            [0, 255], or for a text task a list or array of `n` texts.
        batch_size: int. Images (texts) per forward pass.
        verbose: int. Keras progress bar verbosity.

    Returns:
        float32 array `(n, features)`.

    Example:
    ```python
    features = ssl_zoo.evaluation.extract_features(model, x_test)  # (10000, 9 * (32 + 64 + 128))
    ```
    """
    if isinstance(model, PretextTask):
        return model.embed(images, batch_size=batch_size, verbose=verbose)
    if isinstance(model, keras_hub.models.Backbone):
        image_shape = model.input_shape[1:]
        inputs = keras.Input(shape=image_shape, name="images")
        pooled = keras.layers.GlobalAveragePooling2D()(model(inputs / 255.0))
        feature_model = keras.Model(inputs, pooled)
    else:
        try:
            features = model.get_layer("features")
        except ValueError:
            raise ValueError(
                f"Can't find the representation of {type(model).__name__}: it has no "
                "'features' layer. Pass an ssl_zoo task or a keras_hub Backbone."
            ) from None
        image_shape = tuple(model.input.shape[1:])
        feature_model = keras.Model(model.input, features.output)
    images = prepare_images(images, image_shape)
    if not isinstance(images, np.ndarray):
        raise ValueError(
            f"images must be a NumPy array. Received: {type(images).__name__}"
        )
    return np.asarray(feature_model.predict(images, batch_size=batch_size, verbose=verbose))
