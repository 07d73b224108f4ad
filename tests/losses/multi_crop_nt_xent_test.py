import numpy as np
from absl.testing import parameterized

from ssl_zoo import losses
from ssl_zoo.testing.autodiff import value_and_grad
from ssl_zoo.testing.oracles import multi_crop_nt_xent_numpy
from ssl_zoo.testing.oracles import nt_xent_numpy
from ssl_zoo.testing.test_case import TestCase
from ssl_zoo.testing.test_case import random_normal


class MultiCropNTXentTest(TestCase):
    @parameterized.parameters((4, 3, 0.5), (5, 4, 0.2), (1, 3, 0.5))
    def test_value_and_gradient_match_the_oracle(self, images, crops, temperature):
        z = random_normal((crops * images, 6), seed=crops)
        value, (d_z,) = value_and_grad(lambda z: losses.multi_crop_nt_xent(z, crops, temperature), z)
        expected, expected_d_z = multi_crop_nt_xent_numpy(z, crops, temperature)
        self.assertAllClose(value, expected, atol=1e-5)
        self.assertAllClose(d_z, expected_d_z, atol=1e-5)
        self.assertTrue(np.all(np.isfinite(d_z)))

    def test_two_crops_are_nt_xent(self):
        z = random_normal((10, 4), seed=1)
        expected, d_a, d_b, _ = nt_xent_numpy(z[:5], z[5:], 0.3)
        self.assertAllClose(multi_crop_nt_xent_numpy(z, 2, 0.3)[0], expected, atol=1e-12)  # the oracles agree
        self.assertAllClose(multi_crop_nt_xent_numpy(z, 2, 0.3)[1], np.concatenate([d_a, d_b]), atol=1e-12)
        self.assertAllClose(losses.multi_crop_nt_xent(z, 2, 0.3), expected, atol=1e-5)

    def test_bad_crop_count(self):
        with self.assertRaisesRegex(ValueError, r"num_crops must be an int >= 2 \(crops per image; 2 crops is NT-Xent\). Received: num_crops=1"):
            losses.multi_crop_nt_xent(random_normal((4, 3)), 1)
