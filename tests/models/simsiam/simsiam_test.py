import keras
import numpy as np
from absl.testing import parameterized

from ssl_zoo import models
from ssl_zoo.testing.autodiff import value_and_grad
from ssl_zoo.testing.cross_view_loss import check_cross_view_loss
from ssl_zoo.testing.oracles import simsiam_loss_numpy
from ssl_zoo.testing.test_case import TestCase
from ssl_zoo.testing.test_case import random_normal
from ssl_zoo.testing.tiny import one_stage_backbone
from ssl_zoo.testing.tiny import random_images


def tiny_simsiam(**kwargs):
    keras.utils.set_random_seed(0)
    return models.SimSiam(one_stage_backbone(), projection_dim=4, projection_hidden_dim=8,
                          predictor_hidden_dim=4, seed=1, **kwargs)


class SimSiamTest(TestCase):
    @parameterized.parameters((1, 3), (6, 5))
    def test_loss_value_and_gradient_match_the_oracle(self, n, d):
        check_cross_view_loss(self, models.simsiam.simsiam_loss, simsiam_loss_numpy, n, d, atol=1e-6)
        z_a, z_b = random_normal((n, d), seed=2), random_normal((n, d), seed=3)
        # The collapse signature: predictions equal to the other view's projections give -1.
        self.assertAllClose(models.simsiam.simsiam_loss(z_b, z_a, z_a, z_b), -1.0, atol=1e-6)

    def test_an_all_zero_prediction_has_a_finite_gradient(self):
        # A small predictor's ReLU layer can be dead for a row at initialization.
        p_a = np.zeros((2, 3), "float32")
        _, (d_p_a,) = value_and_grad(
            lambda p: models.simsiam.simsiam_loss(p, p + 1.0, random_normal((2, 3)), random_normal((2, 3), 1)), p_a)
        self.assertTrue(np.all(np.isfinite(d_p_a)))

    def test_compute_loss_pairs_each_prediction_with_the_other_view_s_projection(self):
        model = tiny_simsiam()
        projections, predictions = random_normal((8, 4)), random_normal((8, 4), seed=1)
        loss = model.compute_loss(y_pred={"projections": projections, "predictions": predictions})
        expected = simsiam_loss_numpy(predictions[:4], predictions[4:], projections[:4], projections[4:])[0]
        self.assertAllClose(loss, expected, atol=1e-6)

    def test_heads_follow_the_official_code(self):
        model = tiny_simsiam()
        norm = model.projector.output_norm  # the projector ends in BN without scale and offset
        self.assertFalse(norm.center or norm.scale)
        self.assertIsNone(model.projector.output_dense.bias)
        self.assertIsNone(model.predictor.output_norm)  # no BN on the predictor's output
        self.assertEqual(model.predictor.hidden[0][0].units, 4)  # the bottleneck
        images = random_images(8)[..., None]
        outputs = model(images.astype("float32"), training=True)
        self.assertEqual(tuple(outputs["predictions"].shape), (16, 4))
        z = keras.ops.convert_to_numpy(outputs["projections"])
        for half in (z[:8], z[8:]):  # each view normalized with its own batch statistics
            self.assertAllClose(half.mean(axis=0), np.zeros(4), atol=1e-5)

    def test_predictor_keeps_the_first_learning_rate_while_the_rest_follows_the_schedule(self):
        fixed, scheduled = keras.Variable(np.ones(3, "float32")), keras.Variable(np.ones(3, "float32"))
        optimizer = models.simsiam.SimSiamSGD(fixed_variables=[fixed], learning_rate=0.5, momentum=0.9)
        gradients = [np.array([1.0, -2.0, 3.0], "float32")] * 2
        rates = [0.5, 0.1, 0.02]
        expected = {"fixed": np.ones(3), "scheduled": np.ones(3)}
        velocity = {"fixed": np.zeros(3), "scheduled": np.zeros(3)}
        for rate in rates:
            optimizer.learning_rate = rate
            optimizer.apply(gradients, [fixed, scheduled])
            for name, lr in (("fixed", rates[0]), ("scheduled", rate)):  # Keras' SGD: m = 0.9 m - lr g
                velocity[name] = 0.9 * velocity[name] - lr * gradients[0].astype(np.float64)
                expected[name] = expected[name] + velocity[name]
        self.assertAllClose(fixed, expected["fixed"], atol=1e-5)
        self.assertAllClose(scheduled, expected["scheduled"], atol=1e-5)
        self.assertAllClose(optimizer.fixed_learning_rate, 0.5, atol=1e-7)

    def test_default_optimizer_holds_the_predictor_s_rate(self):
        model = tiny_simsiam()
        model.compile(learning_rate=0.2)
        optimizer = model.optimizer
        self.assertIsInstance(optimizer, models.simsiam.SimSiamSGD)
        self.assertEqual((optimizer.momentum, optimizer.weight_decay), (0.9, 1e-4))
        self.assertEqual(optimizer._fixed, {id(v) for v in model.predictor.trainable_variables})

    def test_bad_arguments(self):
        with self.assertRaisesRegex(ValueError, r"projection_layers must be an int >= 2.*Received: projection_layers=1"):
            tiny_simsiam(projection_layers=1)
        for blur in (1.5, "0.5"):
            with self.assertRaisesRegex(ValueError, rf"blur_probability must be a number in \[0, 1\].*Received: blur_probability={blur!r}"):
                tiny_simsiam(blur_probability=blur)
