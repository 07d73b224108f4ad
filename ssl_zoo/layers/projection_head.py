"""The MLP between the encoder and the contrastive loss."""

import keras


@keras.saving.register_keras_serializable(package="ssl_zoo")
class ProjectionHead(keras.layers.Layer):
    """MLP that maps encoder features to the space where the contrastive loss is computed.

    "We use a MLP with one hidden layer to obtain z_i = W2 relu(W1 h_i)." (SimCLR, Sec. 2.1)

    Args:
        hidden_dim: int. Width of the hidden layers.
        output_dim: int. Size of the projection `z`.
        num_layers: int. Dense layers in the head (2 for SimCLR v1, 3 for v2).
        use_batch_norm: bool. Batch normalization after each hidden layer (SimCLR v2).
        output_batch_norm: bool. Batch normalization without scale and offset after the last
            layer, which then has no bias (SimSiam's projector, Chen & He 2021, Sec. 4.1).
        output_bias: bool. A bias in the last layer where no batch normalization follows it;
            False for losses that center the projections (Barlow Twins, VICReg), where its
            gradient is 0 and only round-off would move it.
        activation: str. The hidden layers' activation, a `keras.activations` name: "relu"
            (the default), "gelu" for DINO's head.

    Example:
    ```python
    head = ssl_zoo.layers.ProjectionHead(hidden_dim=512, output_dim=128)
    z = head(np.ones((8, 512)))  # (8, 128)
    ```
    """

    def __init__(
        self, hidden_dim, output_dim, num_layers=2, use_batch_norm=True, output_batch_norm=False, output_bias=True,
        activation="relu", **kwargs,
    ):
        super().__init__(**kwargs)
        if num_layers < 1:
            raise ValueError(f"num_layers must be >= 1. Received: num_layers={num_layers}")
        # === Config ===
        self.hidden_dim = hidden_dim
        self.output_dim = output_dim
        self.num_layers = num_layers
        self.use_batch_norm = use_batch_norm
        self.output_batch_norm = output_batch_norm
        self.output_bias = output_bias
        self.activation = activation
        self.activation_fn = keras.activations.get(activation)
        # === Layers ===
        self.hidden = []
        for i in range(num_layers - 1):
            dense = keras.layers.Dense(
                hidden_dim, use_bias=not use_batch_norm, dtype=self.dtype_policy, name=f"dense_{i}"
            )
            norm = (
                keras.layers.BatchNormalization(dtype=self.dtype_policy, name=f"norm_{i}")
                if use_batch_norm
                else None
            )
            self.hidden.append((dense, norm))
        self.output_dense = keras.layers.Dense(
            output_dim, use_bias=output_bias and not output_batch_norm, dtype=self.dtype_policy, name=f"dense_{num_layers - 1}"
        )
        self.output_norm = (
            keras.layers.BatchNormalization(
                center=False, scale=False, dtype=self.dtype_policy, name=f"norm_{num_layers - 1}"
            )
            if output_batch_norm
            else None
        )

    def build(self, input_shape):
        shape = input_shape
        for dense, norm in self.hidden:
            dense.build(shape)
            shape = dense.compute_output_shape(shape)
            if norm is not None:
                norm.build(shape)
        self.output_dense.build(shape)
        if self.output_norm is not None:
            self.output_norm.build(self.output_dense.compute_output_shape(shape))
        self.built = True

    def call(self, inputs, training=None):
        x = inputs
        for dense, norm in self.hidden:
            x = dense(x)
            if norm is not None:
                x = norm(x, training=training)
            x = self.activation_fn(x)
        x = self.output_dense(x)
        return x if self.output_norm is None else self.output_norm(x, training=training)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[:-1]) + (self.output_dim,)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "hidden_dim": self.hidden_dim,
                "output_dim": self.output_dim,
                "num_layers": self.num_layers,
                "use_batch_norm": self.use_batch_norm,
                "output_batch_norm": self.output_batch_norm,
                "output_bias": self.output_bias,
                "activation": self.activation,
            }
        )
        return config
