"""Average pooling over a coarse grid of cells: a pooled feature map that keeps its layout."""

import keras

from ssl_zoo import arguments


@keras.saving.register_keras_serializable(package="ssl_zoo")
class GridAveragePooling2D(keras.layers.Layer):
    """Averages a feature map over a `grid_size x grid_size` grid of cells and flattens it.

    Cell `(i, j)` of an `H x W` map covers rows `[i H // g, (i + 1) H // g)` and columns
    `[j W // g, (j + 1) W // g)`: the cells tile the map without overlap, and sides that `g`
    does not divide give cells of unequal size. `grid_size=1` is global average pooling.
    The output holds the cells in row-major order, each cell's `C` channel means together.

    RotNet's authors evaluate its features on spatially pooled feature maps, not on one
    global vector (Gidaris et al. 2018): the layout of an image is what the turns teach.

    Not `keras.layers.AdaptiveAveragePooling2D`: its bins overlap where `g` does not divide
    the side (torch's rule), and on TensorFlow an output of 1 x 1 fails inside a functional
    model (Keras 3.15.1).

    Args:
        grid_size: int >= 1. Cells per side.

    Input: (B, H, W, C) with H, W >= `grid_size`. Output: (B, grid_size * grid_size * C).

    Example:
    ```python
    pooled = ssl_zoo.layers.GridAveragePooling2D(3)(np.ones((2, 7, 7, 128)))  # (2, 1152)
    ```
    """

    def __init__(self, grid_size, **kwargs):
        super().__init__(**kwargs)
        if not arguments.is_int(grid_size) or grid_size < 1:
            raise ValueError(f"grid_size must be an int >= 1. Received: grid_size={grid_size!r}")
        self.grid_size = grid_size

    def build(self, input_shape):
        sides = [side for side in input_shape[1:3] if side is not None]  # None: known at call time
        if len(input_shape) != 4 or any(side < self.grid_size for side in sides):
            raise ValueError(
                f"GridAveragePooling2D({self.grid_size}) needs a feature map (B, H, W, C) with "
                f"H and W >= {self.grid_size}. Received: shape={tuple(input_shape)}"
            )
        self.built = True

    def call(self, inputs):
        height, width = inputs.shape[1], inputs.shape[2]
        rows = [i * height // self.grid_size for i in range(self.grid_size + 1)]
        columns = [j * width // self.grid_size for j in range(self.grid_size + 1)]
        cells = [
            keras.ops.mean(inputs[:, rows[i]:rows[i + 1], columns[j]:columns[j + 1], :], axis=(1, 2))
            for i in range(self.grid_size)
            for j in range(self.grid_size)
        ]  # g * g tensors (B, C)
        return keras.ops.concatenate(cells, axis=-1)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.grid_size * self.grid_size * input_shape[-1])

    def get_config(self):
        config = super().get_config()
        config.update({"grid_size": self.grid_size})
        return config
