"""Quarter turns of image batches, made with transposes and flips on every backend."""

import keras

NUM_TURNS = 4


def rotate_quarter_turns(images, k):
    """Turns every image by `k` quarter turns counterclockwise, as `np.rot90(images, k, (1, 2))`.

    One turn is a transpose of the spatial axes followed by a flip of the rows, so the op is
    exact (no resampling) and differentiable.

    Args:
        images: tensor (B, H, W, C).
        k: int. Number of quarter turns; any integer, taken modulo 4.

    Returns:
        Tensor (B, H, W, C) for even `k`, (B, W, H, C) for odd `k`.

    Example:
    ```python
    images = np.arange(4.0).reshape(1, 2, 2, 1)
    ssl_zoo.augmentations.rotate_quarter_turns(images, 1)[0, ..., 0]  # [[1, 3], [0, 2]]
    ```
    """
    images = keras.ops.convert_to_tensor(images)
    if len(images.shape) != 4:
        raise ValueError(
            f"images must be a batch (B, H, W, C). Received: images.shape={images.shape}"
        )
    for _ in range(k % NUM_TURNS):
        images = keras.ops.flip(keras.ops.transpose(images, (0, 2, 1, 3)), axis=1)
    return images


def quarter_turn_labels(batch_size):
    """The labels of `quarter_turns`: `[0] * B + [1] * B + [2] * B + [3] * B`.

    Args:
        batch_size: int or scalar tensor. Images B before the turns.

    Returns:
        int32 tensor (4B,).
    """
    return keras.ops.repeat(keras.ops.arange(NUM_TURNS, dtype="int32"), batch_size, axis=0)


def quarter_turns(images):
    """Every image in all four quarter turns, stacked in one batch (RotNet, Gidaris et al. 2018).

    Rows `k * B .. (k + 1) * B - 1` hold the batch turned by `k` quarter turns
    counterclockwise, so `quarter_turn_labels(B)` labels the rows.

    Args:
        images: tensor (B, S, S, C). Square images: a turn keeps their shape.

    Returns:
        `(turned, labels)`: tensor (4B, S, S, C) and int32 tensor (4B,).

    Example:
    ```python
    turned, labels = ssl_zoo.augmentations.quarter_turns(np.zeros((8, 28, 28, 1)))
    # turned: (32, 28, 28, 1); labels: [0] * 8 + [1] * 8 + [2] * 8 + [3] * 8
    ```
    """
    images = keras.ops.convert_to_tensor(images)
    if len(images.shape) != 4 or images.shape[1] != images.shape[2]:
        raise ValueError(
            "quarter_turns needs a batch of square images (B, S, S, C). "
            f"Received: images.shape={tuple(images.shape)}. Center-crop them to a square first."
        )
    turned = [rotate_quarter_turns(images, k) for k in range(NUM_TURNS)]
    labels = quarter_turn_labels(keras.ops.shape(images)[0])
    return keras.ops.concatenate(turned, axis=0), labels
