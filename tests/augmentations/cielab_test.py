import keras
import numpy as np

from ssl_zoo import augmentations
from ssl_zoo.testing.autodiff import value_and_grad
from ssl_zoo.testing.image_oracles import rgb_to_lab_numpy
from ssl_zoo.testing.test_case import TestCase

# Published CIELAB (D65) values of the sRGB primaries, white and black.
KNOWN = {
    (1.0, 1.0, 1.0): (100.0, 0.0, 0.0),
    (0.0, 0.0, 0.0): (0.0, 0.0, 0.0),
    (1.0, 0.0, 0.0): (53.2408, 80.0925, 67.2032),
    (0.0, 1.0, 0.0): (87.7347, -86.1827, 83.1793),
    (0.0, 0.0, 1.0): (32.2970, 79.1875, -107.8602),
}


class CIELabTest(TestCase):
    def test_known_values(self):
        rgb, lab = np.array(list(KNOWN), "float32"), np.array(list(KNOWN.values()))
        self.assertAllClose(rgb_to_lab_numpy(rgb), lab, atol=2e-3)  # the oracle
        self.assertAllClose(augmentations.rgb_to_lab(rgb), lab, atol=5e-3)

    def test_matches_the_oracle_and_round_trips(self):
        rgb = np.random.default_rng(0).random((2, 8, 8, 3)).astype("float32")
        rgb[0, 0, :3] = [[0.0, 0.0, 0.0], [0.01, 0.03, 0.04045], [0.2, 0.0031, 1.0]]  # the linear pieces
        lab = augmentations.rgb_to_lab(rgb)
        self.assertAllClose(lab, rgb_to_lab_numpy(rgb), atol=2e-3)
        self.assertAllClose(augmentations.lab_to_rgb(lab), rgb, atol=1e-4)

    def test_out_of_gamut_colors_are_clipped_and_gradients_finite(self):
        rgb = augmentations.lab_to_rgb(np.array([[50.0, 120.0, -120.0], [100.0, 0.0, 0.0]], "float32"))
        self.assertTrue(np.all((np.asarray(rgb) >= 0) & (np.asarray(rgb) <= 1)))
        _, (grad,) = value_and_grad(lambda x: keras.ops.sum(augmentations.rgb_to_lab(x)[..., 1:]), np.zeros((2, 3), "float32"))
        self.assertTrue(np.all(np.isfinite(grad)))
