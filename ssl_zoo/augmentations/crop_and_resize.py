"""Per-image bilinear crop-and-resize written with gathers, on every backend."""

import keras


def _sample_axis(images, start, extent, size, axis):
    """Bilinear resampling of `images` along one spatial axis (1 = rows, 2 = columns).

    Output pixel `i` reads the input at the continuous coordinate
    `start + (i + 0.5) * extent / size - 0.5` (half-pixel centers), clamped to the image, so a
    box covering the whole axis at the same size reads every pixel exactly.

    Args:
        images: float tensor (B, H, W, C).
        start: float tensor (B,). First edge of the box along `axis`, in pixels.
        extent: float tensor (B,). Length of the box along `axis`, in pixels.
        size: int. Output length along `axis`.
        axis: 1 or 2.

    Returns:
        Float tensor (B, H, W, C) with the `axis` dimension replaced by `size`.
    """
    dtype = images.dtype
    input_size = images.shape[axis]
    steps = keras.ops.cast(keras.ops.arange(size), dtype) + 0.5  # (size,)
    coords = start[:, None] + steps[None, :] * (extent / size)[:, None] - 0.5  # (B, size)
    coords = keras.ops.clip(coords, 0.0, input_size - 1.0)
    lower = keras.ops.floor(coords)
    weight = coords - lower  # (B, size), in [0, 1)
    lower = keras.ops.cast(lower, "int32")
    upper = keras.ops.minimum(lower + 1, input_size - 1)

    output_shape = list(keras.ops.shape(images))
    output_shape[axis] = size
    index_shape = [-1, 1, 1, 1]
    index_shape[axis] = size

    def gather(indices):
        indices = keras.ops.broadcast_to(keras.ops.reshape(indices, index_shape), output_shape)
        return keras.ops.take_along_axis(images, indices, axis=axis)

    weight = keras.ops.reshape(weight, index_shape)
    return gather(lower) * (1.0 - weight) + gather(upper) * weight


def crop_and_resize(images, boxes, height, width):
    """Crops one box per image and resizes it to `(height, width)` with bilinear sampling.

    Boxes are continuous pixel coordinates: pixel `(i, j)` covers `[i, i + 1) x [j, j + 1)`, so
    the whole image is the box `(0, 0, H, W)`. Sampling uses half-pixel centers with edge
    clamping (as `torch.nn.functional.interpolate(..., align_corners=False)` and
    `tf.image.resize`), without antialiasing. Separable: rows are gathered first, then columns.
    This is the resampling step of the random resized crop of SimCLR (Chen et al. 2020,
    Appendix A).

    Args:
        images: float tensor (B, H, W, C).
        boxes: float tensor (B, 4). Per image `(top, left, box_height, box_width)` in pixels.
        height: int. Output height.
        width: int. Output width.

    Returns:
        Float tensor (B, height, width, C), the dtype of `images`.

    Example:
    ```python
    from ssl_zoo.augmentations import crop_and_resize
    images = np.random.rand(2, 16, 16, 3).astype("float32")
    boxes = np.array([[0, 0, 16, 16], [4, 2, 8, 10]], "float32")
    crops = crop_and_resize(images, boxes, 8, 8)  # (2, 8, 8, 3)
    ```
    """
    images = keras.ops.convert_to_tensor(images)
    if len(images.shape) != 4:
        raise ValueError(
            f"images must be a batch (B, H, W, C). Received: images.shape={images.shape}"
        )
    boxes = keras.ops.cast(boxes, images.dtype)
    top, left, box_height, box_width = keras.ops.unstack(boxes, 4, axis=1)  # each (B,)
    rows = _sample_axis(images, top, box_height, height, axis=1)  # (B, height, W, C)
    return _sample_axis(rows, left, box_width, width, axis=2)  # (B, height, width, C)
