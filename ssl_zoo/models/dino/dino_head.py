"""DINO's head: an MLP to a bottleneck, L2 normalization, and a weight-normalized last layer."""

import keras

from ssl_zoo import layers


@keras.saving.register_keras_serializable(package="ssl_zoo")
class NormalizedPrototypes(keras.layers.Layer):
    """`x @ (V / ||V||)`: a linear layer without bias whose columns have unit length.

    DINO's last layer, `weight_norm(Linear(bottleneck, K, bias=False))` with the norm `g`
    fixed at 1 (the official `norm_last_layer=True`): each output is the dot product of the
    input with a unit-length prototype. The trainable weight is `V` `(input_dim, K)`.

    `gradient_scale` (a non-trainable float32 scalar, 1 at construction) multiplies the
    gradient that reaches `V` and leaves the output as it is: DINO sets it to 0 during the
    first epoch, the official `cancel_gradients_last_layer`. An optimizer then moves `V` by
    nothing (Adam's and SGD's moments stay 0) except decoupled weight decay, which scales
    `V` and so leaves `V / ||V||` unchanged.

    Args:
        units: int. The number of prototypes `K`.
    """

    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, input_shape):
        self.kernel = self.add_weight(
            name="kernel", shape=(input_shape[-1], self.units),
            initializer=keras.initializers.TruncatedNormal(stddev=0.02), autocast=False,
        )
        self.gradient_scale = self.add_weight(
            name="gradient_scale", shape=(), initializer="ones", trainable=False, autocast=False
        )
        self.built = True

    def call(self, inputs):
        # Normalized in float32 under a mixed policy: the weights are read without autocast.
        kernel = keras.ops.cast(self.kernel, "float32")
        stopped = keras.ops.stop_gradient(kernel)
        # The value of `kernel`, the gradient times `gradient_scale`. A copy: torch refuses to
        # assign a variable (DINO sets the scale in its loss) that the backward pass reads.
        scale = keras.ops.stop_gradient(keras.ops.cast(keras.ops.copy(self.gradient_scale), "float32"))
        kernel = stopped + scale * (kernel - stopped)
        kernel = keras.ops.normalize(kernel, axis=0)
        return keras.ops.matmul(inputs, keras.ops.cast(kernel, self.compute_dtype))

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[:-1]) + (self.units,)

    def get_config(self):
        config = super().get_config()
        config.update({"units": self.units})
        return config


@keras.saving.register_keras_serializable(package="ssl_zoo")
class DINOHead(keras.layers.Layer):
    """The official `DINOHead`: MLP, L2 normalization, `NormalizedPrototypes`.

    `ProjectionHead(hidden_dim, bottleneck_dim, num_layers, use_batch_norm=False,
    activation="gelu")` (the official head: GELU, no batch normalization), each row scaled
    to unit length (`F.normalize`, norm floored at 1e-12), then the `num_prototypes` unit
    prototypes. The output is the logits `(B, num_prototypes)`, each in [-1, 1].

    Args:
        hidden_dim: int. Width of the MLP's hidden layers (2048 in the paper).
        bottleneck_dim: int. Width of its output (256).
        num_prototypes: int. Outputs `K` (65,536).
        num_layers: int >= 1. Dense layers of the MLP (3).
    """

    def __init__(self, hidden_dim, bottleneck_dim, num_prototypes, num_layers=3, **kwargs):
        super().__init__(**kwargs)
        self.hidden_dim = hidden_dim
        self.bottleneck_dim = bottleneck_dim
        self.num_prototypes = num_prototypes
        self.num_layers = num_layers
        # === Layers ===
        self.mlp = layers.ProjectionHead(
            hidden_dim, bottleneck_dim, num_layers=num_layers, use_batch_norm=False, activation="gelu",
            dtype=self.dtype_policy, name="mlp",
        )
        self.prototypes = NormalizedPrototypes(num_prototypes, dtype=self.dtype_policy, name="prototypes")

    def build(self, input_shape):
        self.mlp.build(input_shape)
        self.prototypes.build(self.mlp.compute_output_shape(input_shape))
        self.built = True

    def call(self, inputs, training=None):
        x = self.mlp(inputs, training=training)
        return self.prototypes(keras.ops.normalize(x, axis=-1, epsilon=1e-12))

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[:-1]) + (self.num_prototypes,)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "hidden_dim": self.hidden_dim,
                "bottleneck_dim": self.bottleneck_dim,
                "num_prototypes": self.num_prototypes,
                "num_layers": self.num_layers,
            }
        )
        return config
