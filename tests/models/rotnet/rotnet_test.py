
import keras
import numpy as np

from ssl_zoo import evaluation
from ssl_zoo import models
from ssl_zoo.testing.test_case import TestCase
from ssl_zoo.testing.test_case import random_normal
from ssl_zoo.testing.tiny import random_images
from ssl_zoo.testing.tiny import tiny_backbone


def oriented_images(n, image_shape=(16, 16), seed=0):
    """Noise with a bright top band: the turn of each copy is plain to see."""
    images = random_images(n, image_shape, seed) // 2
    images[:, :4] = 255
    return images


def log_softmax(logits):
    shifted = logits - logits.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


class RotNetTest(TestCase):
    def test_training_batch_holds_the_four_turns_of_each_image(self):
        model = models.RotNet(tiny_backbone())
        x = random_images(3)[..., None].astype("float32")
        turned = model.turns(x, training=True)
        expected = np.concatenate([np.rot90(x, k, axes=(1, 2)) for k in range(4)])
        self.assertAllClose(turned, expected, atol=0, rtol=0)
        self.assertEqual(tuple(model(x, training=True).shape), (12, 4))
        self.assertEqual(tuple(model(x, training=False).shape), (3, 4))

    def test_compute_loss_is_cross_entropy_of_the_turn_labels(self):
        model = models.RotNet(tiny_backbone())
        logits = random_normal((12, 4))
        labels = np.repeat(np.arange(4), 3)
        expected = -np.mean(log_softmax(logits.astype(np.float64))[np.arange(12), labels])
        self.assertAllClose(model.compute_loss(y_pred=logits), expected, atol=1e-5)

    def test_rotation_accuracy_counts_rows_whose_turn_is_recognized(self):
        model = models.RotNet(tiny_backbone())
        logits = np.zeros((8, 4), "float32")  # labels 0, 0, 1, 1, 2, 2, 3, 3
        logits[np.arange(8), [0, 1, 1, 1, 2, 0, 3, 3]] = 1.0  # rows 1 and 5 wrong
        model.compute_loss(y_pred=logits)
        self.assertAllClose(model.rotation_accuracy.result(), 0.75, atol=0)

    def test_fit_learns_the_turns(self):
        keras.utils.set_random_seed(0)
        model = models.RotNet(tiny_backbone())
        model.compile(optimizer=keras.optimizers.Adam(1e-2))
        history = model.fit(oriented_images(32), batch_size=8, epochs=4, verbose=0).history
        self.assertEqual(set(history), {"loss", "rotation_accuracy"})
        self.assertLess(history["loss"][-1], history["loss"][0])
        self.assertGreater(history["rotation_accuracy"][-1], 0.5)

    def test_non_square_images_are_center_cropped(self):
        backbone = tiny_backbone()
        wide = models.RotNet(backbone, image_shape=(16, 20, 1))
        square = models.RotNet(backbone)
        square.classifier.set_weights(wide.classifier.get_weights())
        x = random_images(4, (16, 20))
        self.assertAllClose(
            wide.predict(x, verbose=0), square.predict(x[:, :, 2:18], verbose=0), atol=1e-6
        )
        self.assertEqual(evaluation.extract_features(wide, x).shape, (4, 9 * (4 + 8)))  # 3 x 3 cells of 2 stages

    def test_bad_shapes(self):
        with self.assertRaisesRegex(
            ValueError, r"backbone must take square images.*image_shape=\(16, 20, 1\)"
        ):
            models.RotNet(tiny_backbone((16, 20, 1)))
        with self.assertRaisesRegex(
            ValueError, r"both sides >= 16.*Received: image_shape=\(12, 20, 1\)"
        ):
            models.RotNet(tiny_backbone(), image_shape=(12, 20, 1))
