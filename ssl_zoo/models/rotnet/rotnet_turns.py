"""All four quarter turns of every image, made inside the model's training step."""

import keras

from ssl_zoo import augmentations


@keras.saving.register_keras_serializable(package="ssl_zoo")
class RotNetTurns(keras.layers.Layer):
    """Stacks the four quarter turns of a batch of square images: `(B, S, S, C) -> (4B, S, S, C)`.

    Rows `k * B .. (k + 1) * B - 1` are the batch turned `k` times counterclockwise, labelled
    by `ssl_zoo.augmentations.quarter_turn_labels(B)`. Outside training the images pass
    through unturned, so the model embeds the images themselves.
    """

    def call(self, images, training=None):
        if not training:
            return images
        turned, _ = augmentations.quarter_turns(images)
        return turned

    def compute_output_shape(self, input_shape):
        return input_shape
