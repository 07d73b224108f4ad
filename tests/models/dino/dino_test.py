import keras
import numpy as np
from absl.testing import parameterized

from ssl_zoo import models
from ssl_zoo.testing.autodiff import value_and_grad
from ssl_zoo.testing.oracles import dino_loss_numpy
from ssl_zoo.testing.oracles import dino_teacher_temperature_numpy
from ssl_zoo.testing.test_case import TestCase
from ssl_zoo.testing.test_case import random_normal
from ssl_zoo.testing.tiny import one_stage_backbone
from ssl_zoo.testing.tiny import random_images


def tiny_dino(**kwargs):
    keras.utils.set_random_seed(0)
    settings = dict(num_prototypes=16, hidden_dim=8, bottleneck_dim=4, num_local_crops=2, local_size=8, seed=1)
    return models.DINO(one_stage_backbone(), **{**settings, **kwargs})


def numpy_of(variable):
    return keras.ops.convert_to_numpy(variable)


class DINOLossTest(TestCase):
    @parameterized.product(shape=[(2, 3, 5), (4, 2, 7)], temperatures=[(0.1, 0.04), (0.5, 1.0)])
    def test_value_and_gradients_match_the_oracle(self, shape, temperatures):
        views, n, k = shape
        student, teacher = random_normal((views * n, k), seed=1), random_normal((2 * n, k), seed=2)
        center = random_normal((k,), seed=3, scale=0.3)

        def traced(student, teacher):
            unused = 0.0 * keras.ops.sum(teacher)  # torch and TF need a path to the teacher
            return models.dino.dino_loss(student, teacher, center, *temperatures) + unused

        value, (d_student, d_teacher) = value_and_grad(traced, student, teacher)
        expected, expected_d_student = dino_loss_numpy(student, teacher, center, *temperatures)
        self.assertAllClose(value, expected, atol=1e-5)
        self.assertAllClose(d_student, expected_d_student, atol=1e-6)
        self.assertEqual(np.max(np.abs(d_teacher)), 0.0)  # the stop-gradient on the teacher

    def test_a_collapsed_pair_scores_ln_k(self):
        # Uniform outputs (every logit equal, the center too) are DINO's collapse: exactly ln K.
        constant = np.full((6, 8), 0.3, "float32")
        loss = models.dino.dino_loss(constant, constant[:4], np.full((8,), 0.3, "float32"))
        self.assertAllClose(loss, np.log(8.0), atol=1e-6)

    def test_shapes_are_checked(self):
        with self.assertRaisesRegex(ValueError, r"teacher_logits must be \(2 \* N, K\).*\(3, 4\)"):
            models.dino.dino_loss(random_normal((6, 4)), random_normal((3, 4)), np.zeros(4, "float32"))
        with self.assertRaisesRegex(ValueError, r"V >= 2 crops of the N = 2 images.*\(5, 4\)"):
            models.dino.dino_loss(random_normal((5, 4)), random_normal((4, 4)), np.zeros(4, "float32"))
        with self.assertRaisesRegex(ValueError, r"center must be \(K,\) = \(4,\).*\(3,\)"):
            models.dino.dino_loss(random_normal((4, 4)), random_normal((4, 4)), np.zeros(3, "float32"))


class DINOStateTest(TestCase):
    @parameterized.parameters(0, 1, 2, 5)
    def test_teacher_temperature_follows_the_official_schedule(self, warmup_epochs):
        state = models.dino.DINOState(4, 0.9, 0.07, 0.04, warmup_epochs, 1)
        state.set_steps_per_epoch(3)
        for step in range(24):
            expected = dino_teacher_temperature_numpy(step // 3, 0.04, 0.07, warmup_epochs)
            self.assertAllClose(state.teacher_temperature(step), expected, atol=1e-7)

    def test_last_layer_is_frozen_for_the_first_epochs(self):
        state = models.dino.DINOState(4, 0.9, 0.07, 0.04, 0, 2)
        state.set_steps_per_epoch(3)
        scales = [float(state.last_layer_gradient_scale(step)) for step in range(8)]
        self.assertEqual(scales, [0.0] * 6 + [1.0] * 2)

    def test_center_moves_towards_the_batch_mean(self):
        state = models.dino.DINOState(3, 0.9, 0.07, 0.04, 0, 1)
        first, second = random_normal((4, 3), seed=1), random_normal((6, 3), seed=2)
        state.update_center(first)
        state.update_center(second)
        expected = 0.9 * (0.1 * first.astype(np.float64).mean(0)) + 0.1 * second.astype(np.float64).mean(0)
        self.assertAllClose(numpy_of(state.center), expected, atol=1e-7)


class NormalizedPrototypesTest(TestCase):
    def test_output_and_gradient_scale(self):
        layer = models.dino.NormalizedPrototypes(5)
        x = random_normal((3, 4))
        layer.build(x.shape)
        kernel = numpy_of(layer.kernel).astype(np.float64)
        expected = x @ (kernel / np.linalg.norm(kernel, axis=0))
        self.assertAllClose(layer(x), expected, atol=1e-6)
        # One SGD step on a model of the layer: the kernel moves by lr x scale x its gradient.
        for scale in (1.0, 0.0):
            layer.gradient_scale.assign(scale)
            model = keras.Sequential([keras.Input((4,)), layer])
            model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.1), loss="mean_squared_error")
            before = numpy_of(layer.kernel)
            model.fit(x, random_normal((3, 5), seed=7), batch_size=3, epochs=1, verbose=0)
            change = np.max(np.abs(numpy_of(layer.kernel) - before))
            if scale:
                self.assertGreater(change, 1e-4)
            else:
                self.assertEqual(change, 0.0)


class DINOTest(TestCase):
    def test_the_last_layer_is_frozen_in_the_first_epoch_only(self):
        model = tiny_dino()
        model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.1))
        x = random_images(16)[..., None]
        prototypes, mlp = model.head.prototypes.kernel, model.head.mlp.output_dense.kernel
        before, mlp_before = numpy_of(prototypes), numpy_of(mlp)
        model.fit(x, batch_size=8, epochs=1, verbose=0)
        np.testing.assert_array_equal(numpy_of(prototypes), before)  # 2 steps of epoch 0
        self.assertGreater(np.max(np.abs(numpy_of(mlp) - mlp_before)), 1e-4)
        self.assertEqual(float(numpy_of(model.head.prototypes.gradient_scale)), 1.0)  # for epoch 1
        model.fit(x, batch_size=8, epochs=1, verbose=0)
        self.assertGreater(np.max(np.abs(numpy_of(prototypes) - before)), 1e-6)

    def test_the_teacher_follows_and_the_center_moves(self):
        model = tiny_dino()
        model.compile()
        model.fit(random_images(16)[..., None], batch_size=8, epochs=1, verbose=0)
        self.assertEqual(int(numpy_of(model.target.step)), 2)
        self.assertEqual(int(numpy_of(model.state.steps_per_epoch)), 2)
        self.assertGreater(np.max(np.abs(numpy_of(model.state.center))), 0.0)
        self.assertAllClose(model.default_optimizer().clipnorm, 3.0)

    def test_outputs_stack_every_crop(self):
        model = tiny_dino()
        outputs = model(random_images(3)[..., None].astype("float32"), training=True)
        self.assertEqual(tuple(outputs["student"].shape), (12, 16))  # (2 + 2 local) x 3 images
        self.assertEqual(tuple(outputs["global_views"].shape), (6, 16, 16, 1))

    def test_bad_input(self):
        with self.assertRaisesRegex(ValueError, r"warmup_teacher_temperature must be <= teacher_temperature.*"
                                                r"Received: warmup_teacher_temperature=0.08, teacher_temperature=0.07"):
            tiny_dino(warmup_teacher_temperature=0.08)
        with self.assertRaisesRegex(ValueError, r"local crops must be no larger than the global crops \(16x16 px\).*"
                                                r"local_size=20"):
            tiny_dino(local_size=20)
        with self.assertRaisesRegex(ValueError, r"student_temperature must be a number > 0.*=0"):
            tiny_dino(student_temperature=0)
        with self.assertRaisesRegex(ValueError, r"momentum must be a number in \[0, 1\].*momentum=1.5"):
            tiny_dino(momentum=1.5)
        with self.assertRaisesRegex(ValueError, r"freeze_last_layer_epochs must be an int >= 0.*=-1"):
            tiny_dino(freeze_last_layer_epochs=-1)
        with self.assertRaisesRegex(ValueError, r"clip_norm must be a number > 0 \(or None: no clipping\).*=0"):
            tiny_dino(clip_norm=0)
