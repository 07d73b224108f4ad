import functools
import math

import keras
import numpy as np
from absl.testing import parameterized

from ssl_zoo import models
from ssl_zoo.testing.cross_view_loss import check_cross_view_loss
from ssl_zoo.testing.momentum_schedule import check_cosine_ema_over_fit
from ssl_zoo.testing.oracles import mocov3_loss_numpy
from ssl_zoo.testing.test_case import TestCase
from ssl_zoo.testing.test_case import random_normal
from ssl_zoo.testing.tiny import one_stage_backbone
from ssl_zoo.testing.tiny import random_images


def tiny_mocov3(**kwargs):
    keras.utils.set_random_seed(0)
    return models.MoCoV3(one_stage_backbone(), projection_dim=4, projection_hidden_dim=8,
                         predictor_hidden_dim=8, seed=1, **kwargs)


class MoCoV3Test(TestCase):
    @parameterized.product(shape=[(1, 3), (6, 5)], temperature=[0.2, 1.0])
    def test_loss_value_and_gradient_match_the_oracle_and_no_gradient_reaches_the_keys(self, shape, temperature):
        n, d = shape
        loss = functools.partial(models.mocov3.mocov3_loss, temperature=temperature)
        oracle = functools.partial(mocov3_loss_numpy, temperature=temperature)
        check_cross_view_loss(self, loss, oracle, n, d, atol=1e-5)
        # Fixed points: equal rows score every key alike, 2T log(N) per order; one pair scores 0.
        same = np.ones((n, d), "float32")
        self.assertAllClose(loss(same, same, same, same), 4 * temperature * math.log(n), atol=1e-5)
        q = random_normal((1, d), seed=4)
        self.assertAllClose(loss(q, -q, q, -q), 0.0, atol=1e-6)

    def test_compute_loss_contrasts_each_view_s_queries_with_the_momentum_keys_of_the_other(self):
        model = tiny_mocov3(temperature=0.5)
        views = random_images(8)[..., None].astype("float32") / 255.0  # 4 images, 2 views
        queries = random_normal((8, 4))
        loss = model.compute_loss(y_pred={"predictions": queries, "views": views})
        # The target starts equal to the online network, so its first update leaves it.
        k_a, k_b = (keras.ops.convert_to_numpy(model.target(v)) for v in (views[:4], views[4:]))
        self.assertGreater(np.min(np.linalg.norm(np.concatenate([k_a, k_b]), axis=1)), 0.01)
        expected = mocov3_loss_numpy(queries[:4], queries[4:], k_a, k_b, 0.5)[0]
        self.assertAllClose(loss, expected, atol=1e-5)

    def test_heads_follow_the_official_resnet_code(self):
        model = tiny_mocov3()
        # Projector ends in BatchNormalization without scale and offset; the predictor does not.
        self.assertTrue(model.projector.output_batch_norm)
        self.assertFalse(model.projector.output_norm.scale or model.projector.output_norm.center)
        self.assertFalse(model.predictor.output_batch_norm)
        config = models.MoCoV3(one_stage_backbone()).get_config()
        self.assertEqual((config["temperature"], config["momentum"]), (0.2, 0.99))
        self.assertEqual((config["blur_probabilities"], config["solarize_probabilities"]), ((1.0, 0.1), (0.0, 0.2)))

    def test_momentum_encoder_follows_the_cosine_ema_of_the_online_weights_over_fit_s_steps(self):
        check_cosine_ema_over_fit(self, tiny_mocov3(momentum=0.5))

    def test_bad_arguments(self):
        for momentum in (1.5, -0.1, "0.9", True):
            with self.assertRaisesRegex(ValueError, rf"momentum must be a number in \[0, 1\].*Received: momentum={momentum!r}"):
                tiny_mocov3(momentum=momentum)
        for temperature in (0, -0.2, "0.2", None):
            with self.assertRaisesRegex(ValueError, rf"temperature must be a number > 0.*Received: temperature={temperature!r}"):
                tiny_mocov3(temperature=temperature)
        with self.assertRaisesRegex(ValueError, "MoCoV3 got unknown keyword\\(s\\): queue_size. It takes: backbone, projection_dim, projection_hidden_dim, predictor_hidden_dim, temperature, momentum"):
            tiny_mocov3(queue_size=8)
