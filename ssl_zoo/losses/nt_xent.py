"""NT-Xent as a `keras.losses.Loss`."""

import keras

from ssl_zoo import arguments
from ssl_zoo import kernels


@keras.saving.register_keras_serializable(package="ssl_zoo")
class NTXent(keras.losses.Loss):
    """Normalized temperature-scaled cross entropy (SimCLR, Eq. 1).

    `y_pred` holds both views' projections stacked on the batch axis: `(2N, D)`, rows
    `0..N-1` the first views and `N..2N-1` their positives. `y_true` is ignored and may be
    None.

    Args:
        temperature: float > 0 (a Python or NumPy scalar). Softmax temperature `tau`.
        implementation: None, "reference" or "fused"; see `ssl_zoo.kernels.nt_xent`.

    Example:
    ```python
    loss = ssl_zoo.losses.NTXent(temperature=0.1)
    value = loss(None, np.concatenate([z_a, z_b]))  # y_true unused
    ```
    """

    def __init__(self, temperature=0.5, implementation=None, name="nt_xent", **kwargs):
        super().__init__(name=name, reduction="none", **kwargs)
        arguments.check_positive("temperature", temperature)
        self.temperature = temperature
        self.implementation = implementation

    def __call__(self, y_true, y_pred, sample_weight=None):
        # Keras converts y_true to a tensor, which None is not; the labels go unused anyway.
        return super().__call__(y_pred if y_true is None else y_true, y_pred, sample_weight)

    def call(self, y_true, y_pred):
        rows = y_pred.shape[0]
        if rows is not None and rows % 2:
            raise ValueError(
                "y_pred must stack both views' projections, (2N, D) with an even number of "
                f"rows. Received: y_pred.shape={tuple(y_pred.shape)}"
            )
        z_a, z_b = keras.ops.split(y_pred, 2, axis=0)
        return kernels.nt_xent(z_a, z_b, self.temperature, self.implementation)

    def get_config(self):
        return {
            "temperature": self.temperature,
            "implementation": self.implementation,
            "name": self.name,
        }
