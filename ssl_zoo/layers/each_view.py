"""A layer run on each stacked view on its own, so that batch statistics stay per view."""

import keras

from ssl_zoo import arguments


@keras.saving.register_keras_serializable(package="ssl_zoo")
class EachView(keras.layers.Layer):
    """Runs `layer` on each stacked view on its own while training, on all rows otherwise.

    BYOL's and SimSiam's official code call the encoder once per view (`f(x1)`, `f(x2)`), so
    each BatchNormalization normalizes a view with that view's batch statistics; one call on
    the stacked `2B` rows would mix the two views' statistics. With `training=True` the
    input `(num_views B, ...)` is split into `num_views` blocks of rows (`0..B-1`,
    `B..2B-1`, ...), `layer` runs on each, and the outputs are stacked again; outside
    training the input (`B` images, no views) goes through `layer` once.

    Multi-crop (`num_local_crops > 0`): the input is the pair `[views, local_crops]` of
    `ssl_zoo.augmentations.MultiCropAugmentation`, the local crops at a smaller size. While
    training the output stacks `layer` on each view, then on each local crop, each on its
    own; outside training the local crops are ignored and `layer` runs on the views (the
    images) alone.

    Args:
        layer: `keras.layers.Layer` taking one tensor.
        num_views: int >= 1. Views stacked in the (first) input while training.
        num_local_crops: int >= 0. Local crops stacked in the second input; 0: one input.

    Example:
    ```python
    encoder = ssl_zoo.layers.EachView(keras.Sequential([keras.layers.Dense(8), keras.layers.BatchNormalization()]))
    z = encoder(np.ones((16, 4)), training=True)  # (16, 8), each half normalized on its own
    ```
    """

    def __init__(self, layer, num_views=2, num_local_crops=0, **kwargs):
        super().__init__(**kwargs)
        arguments.check_int("num_views", num_views, 1)
        arguments.check_int("num_local_crops", num_local_crops, 0)
        self.layer = layer
        self.num_views = int(num_views)
        self.num_local_crops = int(num_local_crops)

    def build(self, input_shape):
        if not self.layer.built:
            self.layer.build(input_shape[0] if self.num_local_crops else input_shape)
        self.built = True

    def call(self, inputs, training=None):
        views, local_crops = inputs if self.num_local_crops else (inputs, None)
        if not training:
            return self.layer(views, training=training)
        blocks = keras.ops.split(views, self.num_views, axis=0)
        if local_crops is not None:
            blocks += keras.ops.split(local_crops, self.num_local_crops, axis=0)
        return keras.ops.concatenate([self.layer(block, training=training) for block in blocks], axis=0)

    def compute_output_spec(self, inputs, training=None):
        views = inputs[0] if self.num_local_crops else inputs
        spec = self.layer.compute_output_spec(views)
        return keras.KerasTensor((None,) + tuple(spec.shape[1:]), dtype=spec.dtype) if self.num_local_crops else spec

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "layer": keras.saving.serialize_keras_object(self.layer),
                "num_views": self.num_views,
                "num_local_crops": self.num_local_crops,
            }
        )
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        config["layer"] = keras.saving.deserialize_keras_object(config["layer"])
        return cls(**config)
