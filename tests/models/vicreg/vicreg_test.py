import functools

import keras
import numpy as np
from absl.testing import parameterized

from ssl_zoo import models
from ssl_zoo.testing.cross_view_loss import check_two_view_loss
from ssl_zoo.testing.oracles import vicreg_loss_numpy
from ssl_zoo.testing.test_case import TestCase
from ssl_zoo.testing.test_case import random_normal
from ssl_zoo.testing.tiny import one_stage_backbone
from ssl_zoo.testing.tiny import random_images


def tiny_vicreg(**kwargs):
    keras.utils.set_random_seed(0)
    return models.VICReg(one_stage_backbone(), projection_dim=4, projection_hidden_dim=8, seed=1, **kwargs)


class VICRegTest(TestCase):
    # scale 0.5: every dimension's std under 1, the hinge active; scale 3: above 1, inactive.
    @parameterized.product(shape=[(2, 3), (9, 6)], weights=[(25.0, 25.0, 1.0), (1.0, 0.0, 3.0)], scale=[0.5, 3.0])
    def test_loss_value_and_gradients_match_the_oracle(self, shape, weights, scale):
        loss = functools.partial(models.vicreg.vicreg_loss, invariance_weight=weights[0],
                                 variance_weight=weights[1], covariance_weight=weights[2])
        oracle = functools.partial(vicreg_loss_numpy, invariance_weight=weights[0], variance_weight=weights[1],
                                   covariance_weight=weights[2])
        check_two_view_loss(self, loss, oracle, *shape, atol=1e-4 * scale**2, scale=scale)

    def test_fixed_points(self):
        # Collapse: equal constant views leave only the hinge, 25 (1 - sqrt(1e-4)) / 2 per view.
        constant = np.full((5, 6), 3.0, "float32")
        self.assertAllClose(models.vicreg.vicreg_loss(constant, constant), 25 * (1 - 0.01), atol=1e-5)
        # Equal, decorrelated views of unbiased std 2: every term is 0.
        z = 2 * np.sqrt(3 / 4) * np.array([[1, 1], [1, -1], [-1, 1], [-1, -1]], "float32")
        self.assertAllClose(models.vicreg.vicreg_loss(z, z), 0.0, atol=1e-6)

    def test_compute_loss_scores_the_two_views_projections(self):
        model = tiny_vicreg(covariance_weight=2.0)
        projections = random_normal((8, 4))
        loss = model.compute_loss(y_pred={"projections": projections})
        expected = vicreg_loss_numpy(projections[:4], projections[4:], 25.0, 25.0, 2.0)[0]
        self.assertAllClose(loss, expected, atol=1e-4)

    def test_heads_follow_the_official_code(self):
        model = tiny_vicreg()
        self.assertEqual(model.projector.num_layers, 3)
        self.assertTrue(model.projector.use_batch_norm)
        self.assertIsNone(model.projector.output_norm)
        self.assertIsNone(model.projector.output_dense.bias)  # as the official code
        config = models.VICReg(one_stage_backbone()).get_config()
        weights = (config["invariance_weight"], config["variance_weight"], config["covariance_weight"])
        self.assertEqual(weights, (25.0, 25.0, 1.0))

    def test_bad_input(self):
        for name in ("invariance_weight", "variance_weight", "covariance_weight"):
            with self.assertRaisesRegex(ValueError, rf"{name} must be a number >= 0.*Received: {name}=-1.0"):
                tiny_vicreg(**{name: -1.0})
        with self.assertRaisesRegex(ValueError, r"VICReg needs a batch of at least 2.*Received: z_a.shape=\(1, 3\)"):
            models.vicreg.vicreg_loss(random_normal((1, 3)), random_normal((1, 3)))
        model = tiny_vicreg()
        model.compile()
        with self.assertRaisesRegex(ValueError, r"this fit makes a batch of 1.*batch_size=4, x holds 5 images"):
            model.fit(random_images(5)[..., None], batch_size=4)
