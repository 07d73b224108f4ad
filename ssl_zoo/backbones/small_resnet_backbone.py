"""A ResNet for small images (28-96 px)."""

import math

import keras
import keras_hub


@keras.saving.register_keras_serializable(package="ssl_zoo")
class SmallResNetBackbone(keras_hub.models.FeaturePyramidBackbone):
    """ResNet encoder for small images: a 3x3 stem without pooling, then basic blocks.

    He et al., "Deep Residual Learning for Image Recognition" (2016), with the CIFAR-style
    stem SimCLR uses for small images (Chen et al. 2020, Appendix B.9): the 7x7 stride-2
    convolution and max pooling of the ImageNet ResNet would leave a 28 px image at 7 px
    before the first block.

    Inputs are float images in [0, 1] of shape `(batch, *image_shape)`; the output is the
    last feature map `(batch, h, w, stackwise_num_filters[-1])`. `pyramid_outputs` (keras-hub's
    `FeaturePyramidBackbone`) holds the last feature map of each scale: `"P{n}"` is `2^n`
    times smaller than the image (`P0`, `P1`, `P2` for the default strides).

    Args:
        image_shape: tuple `(height, width, channels)`. Height and width may be None.
        stem_filters: int. Filters of the 3x3 stem convolution.
        stackwise_num_filters: list of ints. Filters of each stage.
        stackwise_num_blocks: list of ints. Basic blocks in each stage.
        stackwise_num_strides: list of ints. Stride of each stage's first block.
        dtype: dtype policy of the layers.

    Example:
    ```python
    backbone = ssl_zoo.backbones.SmallResNetBackbone(image_shape=(28, 28, 1))
    features = backbone(np.zeros((2, 28, 28, 1)))  # (2, 7, 7, 128)
    ```
    """

    def __init__(
        self,
        image_shape=(28, 28, 1),
        stem_filters=32,
        stackwise_num_filters=(32, 64, 128),
        stackwise_num_blocks=(1, 1, 1),
        stackwise_num_strides=(1, 2, 2),
        dtype=None,
        **kwargs,
    ):
        image_shape = tuple(image_shape)
        stackwise_num_filters = list(stackwise_num_filters)
        stackwise_num_blocks = list(stackwise_num_blocks)
        stackwise_num_strides = list(stackwise_num_strides)
        if len(image_shape) != 3:
            raise ValueError(
                "image_shape must be (height, width, channels). "
                f"Received: image_shape={image_shape}"
            )
        if not len(stackwise_num_filters) == len(stackwise_num_blocks) == len(stackwise_num_strides):
            raise ValueError(
                "stackwise_num_filters, stackwise_num_blocks and stackwise_num_strides must have "
                f"one entry per stage. Received lengths {len(stackwise_num_filters)}, "
                f"{len(stackwise_num_blocks)}, {len(stackwise_num_strides)}"
            )
        min_side = 1
        for stride in stackwise_num_strides:
            min_side *= stride
        for side in image_shape[:2]:
            if side is not None and side < min_side:
                raise ValueError(
                    f"image_shape={image_shape} is too small for "
                    f"stackwise_num_strides={stackwise_num_strides}: each side needs >= "
                    f"{min_side} px. Upsample the images or use fewer stride-2 stages."
                )

        # === Functional Model ===
        inputs = keras.layers.Input(shape=image_shape, name="images")
        x = _conv_bn_relu(inputs, stem_filters, 3, 1, dtype, "stem")
        pyramid_outputs, scale = {}, 1
        for stage, (filters, blocks, stride) in enumerate(
            zip(stackwise_num_filters, stackwise_num_blocks, stackwise_num_strides)
        ):
            for block in range(blocks):
                x = _basic_block(
                    x, filters, stride if block == 0 else 1, dtype, f"stage{stage}_block{block}"
                )
            scale *= stride
            pyramid_outputs[f"P{round(math.log2(scale))}"] = x  # the last stage of each scale
        super().__init__(inputs=inputs, outputs=x, dtype=dtype, **kwargs)

        # === Config ===
        self.image_shape = image_shape
        self.stem_filters = stem_filters
        self.stackwise_num_filters = stackwise_num_filters
        self.stackwise_num_blocks = stackwise_num_blocks
        self.stackwise_num_strides = stackwise_num_strides
        self.pyramid_outputs = pyramid_outputs

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "image_shape": self.image_shape,
                "stem_filters": self.stem_filters,
                "stackwise_num_filters": self.stackwise_num_filters,
                "stackwise_num_blocks": self.stackwise_num_blocks,
                "stackwise_num_strides": self.stackwise_num_strides,
            }
        )
        return config


def _conv_bn_relu(x, filters, kernel_size, strides, dtype, name, relu=True):
    x = keras.layers.Conv2D(
        filters, kernel_size, strides=strides, padding="same", use_bias=False,
        dtype=dtype, name=f"{name}_conv",
    )(x)
    x = keras.layers.BatchNormalization(momentum=0.9, dtype=dtype, name=f"{name}_bn")(x)
    return keras.layers.ReLU(dtype=dtype, name=f"{name}_relu")(x) if relu else x


def _basic_block(x, filters, strides, dtype, name):
    """Two 3x3 convolutions and an identity (or 1x1 projection) shortcut."""
    shortcut = x
    if strides != 1 or x.shape[-1] != filters:
        if strides != 1:
            # A strided 1x1 convolution reads every `strides`-th pixel: subsample first, then
            # convolve with stride 1. Same result and weights, and it avoids TensorFlow 2.21's
            # oneDNN kernel for the strided 1x1 gradient, which corrupts the heap on batches
            # of odd size (also when TensorFlow is merely loaded beside torch).
            shortcut = keras.layers.MaxPooling2D(
                1, strides, padding="same", dtype=dtype, name=f"{name}_shortcut_subsample"
            )(shortcut)
        shortcut = _conv_bn_relu(shortcut, filters, 1, 1, dtype, f"{name}_shortcut", relu=False)
    x = _conv_bn_relu(x, filters, 3, strides, dtype, f"{name}_1")
    x = _conv_bn_relu(x, filters, 3, 1, dtype, f"{name}_2", relu=False)
    x = keras.layers.Add(dtype=dtype, name=f"{name}_add")([x, shortcut])
    return keras.layers.ReLU(dtype=dtype, name=f"{name}_out")(x)
