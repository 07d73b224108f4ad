"""Rows that only training needs, stacked under the rows every call returns."""

import keras


@keras.saving.register_keras_serializable(package="ssl_zoo")
class StackWhileTraining(keras.layers.Layer):
    """`[x, extra]` -> `concatenate([x, extra])` while training, `x` alone otherwise.

    Multi-crop SimCLR's last layer: `x` holds the projections of the two views (of the
    images themselves outside training) and `extra` those of the local crops, which only
    the training loss reads; `predict` then returns one row per image.

    Example:
    ```python
    stack = ssl_zoo.layers.StackWhileTraining()
    stack([np.ones((4, 2)), np.zeros((6, 2))], training=True)  # (10, 2)
    stack([np.ones((4, 2)), np.zeros((6, 2))], training=False)  # (4, 2)
    ```
    """

    def call(self, inputs, training=None):
        x, extra = inputs
        return keras.ops.concatenate([x, extra], axis=0) if training else x

    def compute_output_spec(self, inputs, training=None):
        x, _ = inputs
        return keras.KerasTensor((None,) + tuple(x.shape[1:]), dtype=x.dtype)
