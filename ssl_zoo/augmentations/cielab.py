"""sRGB to CIELAB and back in `keras.ops` (Keras has no Lab conversion), D65 white."""

import keras
import numpy as np

# sRGB's linear RGB -> CIE XYZ for the D65 white (IEC 61966-2-1), and the white itself.
RGB_TO_XYZ = (
    (0.4124564, 0.3575761, 0.1804375),
    (0.2126729, 0.7151522, 0.0721750),
    (0.0193339, 0.1191920, 0.9503041),
)
D65_WHITE = (0.95047, 1.0, 1.08883)
_XYZ_TO_RGB = np.linalg.inv(np.array(RGB_TO_XYZ, np.float64))
_DELTA = 6.0 / 29.0


def _matmul_channels(x, matrix):
    """`x @ matrix^T` over the last axis: each output channel a weighted sum of the inputs."""
    return keras.ops.einsum("...c,dc->...d", x, keras.ops.convert_to_tensor(matrix, dtype=x.dtype))


def rgb_to_lab(images):
    """CIELAB `(L, a, b)` of sRGB images in [0, 1]: L in [0, 100], a and b about [-128, 127].

    sRGB decoded to linear light (`c / 12.92` up to 0.04045, else `((c + 0.055) / 1.055)^2.4`),
    converted to XYZ (`RGB_TO_XYZ`), divided by the D65 white, and
    `L = 116 f(Y) - 16, a = 500 (f(X) - f(Y)), b = 200 (f(Y) - f(Z))` with
    `f(t) = t^(1/3)` above `(6/29)^3`, else `t / (3 (6/29)^2) + 4/29` (CIE 15:2004).
    The powers read clamped arguments, so the gradient is finite at 0.

    Args:
        images: float tensor (..., 3), sRGB in [0, 1].

    Returns:
        float32 tensor (..., 3).

    Example:
    ```python
    ssl_zoo.augmentations.rgb_to_lab(np.array([[1.0, 0.0, 0.0]]))  # [[53.24, 80.09, 67.20]]
    ```
    """
    rgb = keras.ops.cast(images, "float32")
    linear = keras.ops.where(
        rgb <= 0.04045, rgb / 12.92, keras.ops.power((keras.ops.maximum(rgb, 0.04045) + 0.055) / 1.055, 2.4)
    )
    xyz = _matmul_channels(linear, RGB_TO_XYZ) / keras.ops.convert_to_tensor(D65_WHITE, dtype="float32")
    f = keras.ops.where(
        xyz > _DELTA**3,
        keras.ops.power(keras.ops.maximum(xyz, _DELTA**3), 1.0 / 3.0),
        xyz / (3 * _DELTA**2) + 4.0 / 29.0,
    )
    fx, fy, fz = f[..., 0], f[..., 1], f[..., 2]
    return keras.ops.stack([116.0 * fy - 16.0, 500.0 * (fx - fy), 200.0 * (fy - fz)], axis=-1)


def lab_to_rgb(lab):
    """sRGB in [0, 1] of CIELAB values: `rgb_to_lab`'s inverse, clipped to the sRGB gamut.

    Args:
        lab: float tensor (..., 3), `(L, a, b)`.

    Returns:
        float32 tensor (..., 3). Colors outside sRGB are clipped per channel.
    """
    lab = keras.ops.cast(lab, "float32")
    fy = (lab[..., 0] + 16.0) / 116.0
    f = keras.ops.stack([fy + lab[..., 1] / 500.0, fy, fy - lab[..., 2] / 200.0], axis=-1)
    xyz = keras.ops.where(f > _DELTA, f**3, 3 * _DELTA**2 * (f - 4.0 / 29.0))
    xyz = xyz * keras.ops.convert_to_tensor(D65_WHITE, dtype="float32")
    linear = _matmul_channels(xyz, _XYZ_TO_RGB)
    rgb = keras.ops.where(
        linear <= 0.0031308,
        12.92 * linear,
        1.055 * keras.ops.power(keras.ops.maximum(linear, 0.0031308), 1.0 / 2.4) - 0.055,
    )
    return keras.ops.clip(rgb, 0.0, 1.0)
