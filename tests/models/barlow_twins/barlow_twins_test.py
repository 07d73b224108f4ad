import functools

import keras
import numpy as np
from absl.testing import parameterized

from ssl_zoo import models
from ssl_zoo.testing.cross_view_loss import check_two_view_loss
from ssl_zoo.testing.oracles import barlow_twins_loss_numpy
from ssl_zoo.testing.test_case import TestCase
from ssl_zoo.testing.test_case import random_normal
from ssl_zoo.testing.tiny import one_stage_backbone
from ssl_zoo.testing.tiny import random_images


def tiny_barlow_twins(**kwargs):
    keras.utils.set_random_seed(0)
    return models.BarlowTwins(one_stage_backbone(), projection_dim=4, projection_hidden_dim=8, seed=1, **kwargs)


class BarlowTwinsTest(TestCase):
    @parameterized.product(shape=[(2, 3), (9, 6)], weights=[(0.0051, 1.0), (0.5, 0.1)])
    def test_loss_value_and_gradients_match_the_oracle(self, shape, weights):
        loss = functools.partial(models.barlow_twins.barlow_twins_loss, redundancy_weight=weights[0],
                                 loss_scale=weights[1])
        oracle = functools.partial(barlow_twins_loss_numpy, redundancy_weight=weights[0], loss_scale=weights[1])
        check_two_view_loss(self, loss, oracle, *shape, atol=1e-5)

    def test_fixed_points(self):
        # Collapse: constant projections standardize to 0, so C = 0 and the loss is D.
        constant = np.full((5, 6), 3.0, "float32")
        self.assertAllClose(models.barlow_twins.barlow_twins_loss(constant, constant, loss_scale=0.5), 3.0, atol=1e-6)
        # Decorrelated, equal views: C = I up to the epsilon, var / (var + 1e-5) on the diagonal.
        z = np.array([[1, 1], [1, -1], [-1, 1], [-1, -1]], "float32")
        self.assertAllClose(models.barlow_twins.barlow_twins_loss(z, z), 2 * (1e-5 / (1 + 1e-5)) ** 2, atol=1e-9)

    def test_compute_loss_correlates_the_two_views_projections(self):
        model = tiny_barlow_twins(redundancy_weight=0.2)
        projections = random_normal((8, 4))
        loss = model.compute_loss(y_pred={"projections": projections})
        expected = barlow_twins_loss_numpy(projections[:4], projections[4:], 0.2)[0]
        self.assertAllClose(loss, expected, atol=1e-5)

    def test_heads_follow_the_official_code(self):
        model = tiny_barlow_twins()
        self.assertEqual(model.projector.num_layers, 3)
        self.assertTrue(model.projector.use_batch_norm)
        self.assertIsNone(model.projector.output_norm)
        self.assertIsNone(model.projector.output_dense.bias)  # as the official code
        config = models.BarlowTwins(one_stage_backbone()).get_config()
        self.assertEqual((config["redundancy_weight"], config["loss_scale"]), (0.0051, 1.0))
        self.assertEqual((config["blur_probabilities"], config["solarize_probabilities"]), ((1.0, 0.1), (0.0, 0.2)))
        outputs = model(random_images(8)[..., None].astype("float32"), training=True)
        self.assertEqual(tuple(outputs["projections"].shape), (16, 4))

    def test_bad_input(self):
        for weight in (-0.1, "0.005", None):
            with self.assertRaisesRegex(ValueError, rf"redundancy_weight must be a number >= 0.*Received: redundancy_weight={weight!r}"):
                tiny_barlow_twins(redundancy_weight=weight)
        for scale in (0, -1.0):
            with self.assertRaisesRegex(ValueError, rf"loss_scale must be a number > 0.*Received: loss_scale={scale!r}"):
                tiny_barlow_twins(loss_scale=scale)
        with self.assertRaisesRegex(ValueError, r"Barlow Twins needs a batch of at least 2.*Received: z_a.shape=\(1, 3\)"):
            models.barlow_twins.barlow_twins_loss(random_normal((1, 3)), random_normal((1, 3)))
        with self.assertRaisesRegex(ValueError, r"same shape \(N, D\).*z_a.shape=\(2, 3\), z_b.shape=\(2, 4\)"):
            models.barlow_twins.barlow_twins_loss(random_normal((2, 3)), random_normal((2, 4)))
        model = tiny_barlow_twins()
        model.compile()
        images = random_images(9)[..., None]
        with self.assertRaisesRegex(ValueError, r"needs 2 images or more; this fit makes a batch of 1.*batch_size=4, x holds 9 images"):
            model.fit(images, batch_size=4)
        with self.assertRaisesRegex(ValueError, r"this fit makes a batch of 1.*batch_size=1"):
            model.fit(images[:8], batch_size=1)
