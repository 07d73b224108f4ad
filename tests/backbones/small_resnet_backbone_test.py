import keras
import numpy as np

from ssl_zoo import backbones
from ssl_zoo.testing.test_case import TestCase
from ssl_zoo.testing.tiny import tiny_backbone


def resnet_param_count(channels, stem, filters, blocks, strides):
    """Parameters of stem + basic blocks: 3x3 convs without bias, 4 per BatchNorm channel."""
    conv_bn = lambda k, c_in, c_out: k * k * c_in * c_out + 4 * c_out
    total, c_in = conv_bn(3, channels, stem), stem
    for c_out, n, stride in zip(filters, blocks, strides):
        for b in range(n):
            if (b == 0 and stride != 1) or c_in != c_out:
                total += conv_bn(1, c_in, c_out)
            total += conv_bn(3, c_in, c_out) + conv_bn(3, c_out, c_out)
            c_in = c_out
    return total


class SmallResNetBackboneTest(TestCase):
    def test_output_shape_follows_strides(self):
        backbone = backbones.SmallResNetBackbone(
            image_shape=(28, 28, 1), stem_filters=4, stackwise_num_filters=(4, 8, 16),
            stackwise_num_strides=(1, 2, 2),
        )
        self.assertEqual(tuple(backbone(np.zeros((2, 28, 28, 1))).shape), (2, 7, 7, 16))

    def test_pyramid_holds_the_last_stage_of_each_scale(self):
        backbone = backbones.SmallResNetBackbone(
            image_shape=(16, 16, 1), stem_filters=4, stackwise_num_filters=(4, 6, 8, 10),
            stackwise_num_blocks=(1, 1, 1, 1), stackwise_num_strides=(1, 2, 1, 2),
        )
        shapes = {name: tuple(level.shape) for name, level in backbone.pyramid_outputs.items()}
        # Stages 1 and 2 share the scale 1/2: the later one stands for it.
        self.assertEqual(shapes, {"P0": (None, 16, 16, 4), "P1": (None, 8, 8, 8), "P2": (None, 4, 4, 10)})
        self.assertIs(backbone.pyramid_outputs["P2"], backbone.output)
        self.assertIs(backbone.pyramid_outputs["P1"], backbone.get_layer("stage2_block0_out").output)

    def test_named_sizes(self):
        for name, stem, filters in [
            ("resnet_tiny", 32, (32, 64, 128)),
            ("resnet_tiny_wide", 32, (32, 64, 256)),
            ("resnet_small", 64, (64, 128, 256)),
        ]:
            self.assertEqual(
                backbones.build_backbone(name, (28, 28, 1)).count_params(),
                resnet_param_count(1, stem, filters, (1, 1, 1), (1, 2, 2)),
            )
        with self.assertRaisesRegex(ValueError, "Unknown backbone 'resnet_huge'. Available: resnet_small, resnet_tiny, resnet_tiny_wide"):
            backbones.build_backbone("resnet_huge", (28, 28, 1))

    def test_config_round_trip(self):
        backbone = backbones.SmallResNetBackbone(image_shape=(16, 16, 3), stem_filters=4,
                                                 stackwise_num_filters=(4, 8), stackwise_num_blocks=(2, 1),
                                                 stackwise_num_strides=(1, 2))
        restored = backbones.SmallResNetBackbone.from_config(backbone.get_config())
        self.assertEqual(restored.count_params(), backbone.count_params())
        self.assertEqual(restored.image_shape, (16, 16, 3))

    def test_too_small_images(self):
        with self.assertRaisesRegex(
            ValueError, r"image_shape=\(3, 3, 1\) is too small for stackwise_num_strides=\[1, 2, 2\]: each side needs >= 4 px"
        ):
            backbones.SmallResNetBackbone(image_shape=(3, 3, 1))

    def test_mismatched_stage_lists(self):
        with self.assertRaisesRegex(ValueError, "one entry per stage"):
            backbones.SmallResNetBackbone(stackwise_num_filters=(4, 8), stackwise_num_blocks=(1,))

    def test_strided_shortcut_is_a_strided_1x1_convolution(self):
        backbone = tiny_backbone()
        kernel = backbone.get_layer("stage1_block0_shortcut_conv").get_weights()[0][0, 0]  # (in, out)
        stage_0 = keras.Model(backbone.input, backbone.get_layer("stage0_block0_out").output)
        shortcut = keras.Model(backbone.input, backbone.get_layer("stage1_block0_shortcut_conv").output)
        x = np.random.default_rng(0).random((3, 16, 16, 1)).astype("float32")
        features = np.asarray(stage_0.predict(x, verbose=0), dtype=np.float64)
        expected = np.einsum("bhwc,cd->bhwd", features[:, ::2, ::2], kernel)
        self.assertAllClose(shortcut.predict(x, verbose=0), expected, atol=1e-5)

    def test_gradient_on_a_batch_of_odd_size(self):
        # TensorFlow 2.21's oneDNN gradient of a strided 1x1 convolution corrupted the heap
        # (a crash) on batches of odd size; the shortcut avoids that kernel.
        inputs = keras.Input((16, 16, 1))
        outputs = keras.layers.Dense(2)(keras.layers.GlobalAveragePooling2D()(tiny_backbone()(inputs)))
        model = keras.Model(inputs, outputs)
        model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
        x = np.random.default_rng(0).random((19, 16, 16, 1)).astype("float32")
        history = model.fit(x, np.arange(19) % 2, batch_size=19, epochs=2, verbose=0)
        self.assertTrue(np.all(np.isfinite(history.history["loss"])))
