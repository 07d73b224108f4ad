"""A pretrained image task on images of another channel count: its first convolution adapted."""

import copy

import keras
import numpy as np


def adapt_input_kernel(kernel, channels):
    """A convolution kernel `(..., C, F)` for `channels` input channels instead of `C`.

    Gray to color (`C = 1`): the kernel divided by `channels` on every channel, so an image
    whose channels all equal a gray image gives the gray image's output (timm's
    `adapt_input_conv` averages the same way). Color to gray (`channels = 1`): summed over
    `C`, so a gray image gives what the color image with that value on every channel gave.
    Otherwise (e.g. RGB to RGBA) the channels are repeated in turn and scaled by
    `C / channels`, as timm does.

    Args:
        kernel: NumPy array `(kh, kw, C, F)` (any leading axes).
        channels: int >= 1.

    Returns:
        float array `(kh, kw, channels, F)` of `kernel`'s dtype.
    """
    kernel = np.asarray(kernel)
    old = kernel.shape[-2]
    if channels == old:
        return kernel
    if channels == 1:
        return kernel.sum(axis=-2, keepdims=True)
    repeated = np.take(kernel, np.arange(channels) % old, axis=-2)
    return (repeated * (old / channels)).astype(kernel.dtype)


def with_input_channels(task, channels):
    """A copy of `task` (any ssl_zoo image task or classifier) taking `channels` channels.

    The copy is built from `task`'s config with the backbone's `image_shape` changed; every
    weight is copied, the first convolution's kernel (the only weight whose shape depends on
    the channels) through `adapt_input_kernel`.

    Args:
        task: a built `SSLTask` on an image backbone.
        channels: int >= 1.

    Returns:
        The new task, of `task`'s class.
    """
    config = copy.deepcopy(task.get_config())
    backbone_config = config["backbone"]["config"]
    backbone_config["image_shape"] = (*tuple(backbone_config["image_shape"])[:-1], channels)
    adapted = type(task).from_config(config)
    targets = {variable.path: variable for variable in adapted.weights}
    for variable in task.weights:
        target = targets.pop(variable.path, None)
        value = keras.ops.convert_to_numpy(variable)
        if target is not None and tuple(target.shape) != value.shape:
            value = adapt_input_kernel(value, channels)
        if target is None or tuple(target.shape) != value.shape:
            raise ValueError(
                f"Cannot adapt {type(task).__name__} to {channels} input channels: weight "
                f"{variable.path} {value.shape} has no counterpart of that shape."
            )
        target.assign(value)
    return adapted
