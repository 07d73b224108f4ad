"""A layer run on each of two stacked views on its own, so that batch statistics stay per view."""

import keras


@keras.saving.register_keras_serializable(package="ssl_zoo")
class EachView(keras.layers.Layer):
    """Runs `layer` on each half of a stacked pair of views while training, on all rows otherwise.

    BYOL's and SimSiam's official code call the encoder once per view (`f(x1)`, `f(x2)`), so
    each BatchNormalization normalizes a view with that view's batch statistics; one call on
    the stacked `2B` rows would mix the two views' statistics. With `training=True` the
    input `(2B, ...)` is split into rows `0..B-1` and `B..2B-1`, `layer` runs on each, and
    the outputs are stacked again; outside training the input (`B` images, no pair) goes
    through `layer` once.

    Args:
        layer: `keras.layers.Layer` taking one tensor.

    Example:
    ```python
    encoder = ssl_zoo.layers.EachView(keras.Sequential([keras.layers.Dense(8), keras.layers.BatchNormalization()]))
    z = encoder(np.ones((16, 4)), training=True)  # (16, 8), each half normalized on its own
    ```
    """

    def __init__(self, layer, **kwargs):
        super().__init__(**kwargs)
        self.layer = layer

    def build(self, input_shape):
        if not self.layer.built:
            self.layer.build(input_shape)
        self.built = True

    def call(self, inputs, training=None):
        if not training:
            return self.layer(inputs, training=training)
        halves = keras.ops.split(inputs, 2, axis=0)
        return keras.ops.concatenate([self.layer(half, training=training) for half in halves], axis=0)

    def compute_output_spec(self, inputs, training=None):
        return self.layer.compute_output_spec(inputs)

    def get_config(self):
        config = super().get_config()
        config.update({"layer": keras.saving.serialize_keras_object(self.layer)})
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        config["layer"] = keras.saving.deserialize_keras_object(config["layer"])
        return cls(**config)
