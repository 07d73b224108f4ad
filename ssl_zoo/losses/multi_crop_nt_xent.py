"""NT-Xent over any number of crops per image: every other crop of an image is a positive."""

import keras

from ssl_zoo import arguments
from ssl_zoo.kernels import reference


def multi_crop_nt_xent(z, num_crops, temperature=0.5):
    """SimCLR's loss with multi-crop: each pair of crops of an image against the other images.

    u = normalize(z); s_ij = u_i . u_j / temperature; rows `c B + i` are crop `c` of image `i`
    loss = mean over anchors a and positives p (another crop of a's image) of
        log(exp(s_ap) + sum_{n: crop of another image} exp(s_an)) - s_ap

    The multi-crop SimCLR of SwAV's authors (Caron et al. 2020, Sec. 4.3; their VISSL
    `MultiCropSimclrInfoNCECriterion`): each positive pair is scored on its own against the
    negatives, so the other crops of the anchor's image are neither positives nor negatives
    of that pair. With 2 crops this is NT-Xent (`ssl_zoo.kernels.nt_xent`): the one positive
    and the `2B - 2` negatives. Builds the full `(C B, C B)` similarity matrix.

    Args:
        z: float tensor `(num_crops * B, D)`: crop 1 of every image, then crop 2, ...
        num_crops: int >= 2. Crops per image.
        temperature: float > 0.

    Returns:
        float32 scalar tensor.

    Example:
    ```python
    loss = ssl_zoo.losses.multi_crop_nt_xent(np.random.rand(12, 8), num_crops=3)  # 4 images
    ```
    """
    arguments.check_int("num_crops", num_crops, 2, " (crops per image; 2 crops is NT-Xent)")
    u = reference.normalize_rows(keras.ops.cast(z, "float32"))
    rows = keras.ops.shape(u)[0]
    images = keras.ops.arange(rows) % (rows // num_crops)
    same_image = keras.ops.expand_dims(images, 1) == keras.ops.expand_dims(images, 0)
    s = keras.ops.matmul(u, keras.ops.transpose(u)) / keras.ops.cast(temperature, "float32")
    # A finite floor, not -inf: with one image there are no negatives and the gradient stays 0.
    negatives = keras.ops.logsumexp(keras.ops.where(same_image, -1e9, s), axis=1)  # (C B,)
    # log(exp(s_ap) + exp(negatives_a)) - s_ap, for every pair (a, p).
    pair_losses = keras.ops.softplus(keras.ops.expand_dims(negatives, 1) - s)
    positives = keras.ops.logical_and(same_image, keras.ops.logical_not(keras.ops.eye(rows, dtype="bool")))
    total = keras.ops.sum(keras.ops.where(positives, pair_losses, 0.0))
    return total / keras.ops.cast(rows * (num_crops - 1), "float32")
