import numpy as np

from ssl_zoo import losses
from ssl_zoo.testing.oracles import nt_xent_numpy
from ssl_zoo.testing.test_case import TestCase
from ssl_zoo.testing.test_case import random_normal


class NTXentLossTest(TestCase):
    def test_matches_oracle_on_stacked_views(self):
        z_a, z_b = random_normal((5, 6), seed=1), random_normal((5, 6), seed=2)
        loss = losses.NTXent(temperature=0.2)
        self.assertAllClose(
            loss(np.zeros((10, 6)), np.concatenate([z_a, z_b])), nt_xent_numpy(z_a, z_b, 0.2)[0], atol=1e-5
        )

    def test_config_round_trip(self):
        loss = losses.NTXent(temperature=0.1, implementation="reference")
        restored = losses.NTXent.from_config(loss.get_config())
        self.assertEqual(restored.temperature, 0.1)
        self.assertEqual(restored.implementation, "reference")

    def test_bad_temperature(self):
        with self.assertRaisesRegex(ValueError, "temperature must be a number > 0"):
            losses.NTXent(temperature=-0.5)

    def test_y_true_may_be_none(self):
        # The README's call: the labels are unused, so None stands for them.
        z_a, z_b = random_normal((4, 3), seed=3), random_normal((4, 3), seed=4)
        loss = losses.NTXent(temperature=np.float32(0.5))
        self.assertAllClose(loss(None, np.concatenate([z_a, z_b])), nt_xent_numpy(z_a, z_b, 0.5)[0], atol=1e-5)

    def test_bad_inputs_name_the_argument(self):
        with self.assertRaisesRegex(ValueError, "temperature must be a number > 0. Received: temperature='0.5'"):
            losses.NTXent(temperature="0.5")
        with self.assertRaisesRegex(ValueError, r"even number of rows. Received: y_pred.shape=\(5, 3\)"):
            losses.NTXent()(None, np.ones((5, 3), "float32"))
