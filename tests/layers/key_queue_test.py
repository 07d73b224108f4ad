import re

import keras
import numpy as np
from absl.testing import parameterized

from ssl_zoo import layers
from ssl_zoo.testing.test_case import TestCase
from ssl_zoo.testing.test_case import random_normal


def numpy_of(x):
    return np.asarray(keras.ops.convert_to_numpy(x))


class KeyQueueTest(TestCase):
    @parameterized.parameters(((4, 4, 4, 4, 4),), ((3, 5, 2, 6, 1, 3),))
    def test_queue_holds_the_last_size_keys_in_order(self, batch_sizes):
        size, dim, views = 8, 3, 2
        queue = layers.KeyQueue(size, dim, views=views, seed=0)
        initial = numpy_of(queue.keys)
        self.assertAllClose(np.linalg.norm(initial, axis=-1), np.ones((views, size)), atol=1e-6)
        history = [initial[:, i] for i in range(size)]  # oldest first: the initial rows
        for step, n in enumerate(batch_sizes):
            keys = random_normal((views, n, dim), seed=step)
            queue.enqueue(keras.ops.convert_to_tensor(keys))
            history.extend(keys[:, i] for i in range(n))
            pointer = int(numpy_of(queue.pointer))
            self.assertEqual(pointer, sum(batch_sizes[: step + 1]) % size)
            # Oracle: the last `size` keys enqueued, oldest first, after rolling by the pointer.
            expected = np.stack(history[-size:], axis=1)
            self.assertAllClose(np.roll(numpy_of(queue.keys), -pointer, axis=1), expected, atol=0)

    def test_read_is_a_copy_without_gradient(self):
        queue = layers.KeyQueue(4, 2, seed=1)
        read = queue.read()
        queue.enqueue(keras.ops.ones((1, 4, 2)))
        self.assertFalse(np.allclose(numpy_of(read), 1.0))
        self.assertAllClose(queue.read(), np.ones((1, 4, 2)), atol=0)

    def test_seeded_and_saved(self):
        a, b = layers.KeyQueue(6, 4, seed=3), layers.KeyQueue(6, 4, seed=3)
        self.assertAllClose(a.keys, b.keys, atol=0)
        self.assertFalse(np.allclose(numpy_of(a.keys), numpy_of(layers.KeyQueue(6, 4, seed=4).keys)))
        config = a.get_config()
        restored = layers.KeyQueue.from_config(config)
        self.assertEqual(restored.get_config(), config)
        self.assertEqual([w.path.split("/")[-1] for w in a.weights], ["keys", "pointer"])
        self.assertEqual([w.trainable for w in a.weights], [False, False])

    def test_bad_arguments(self):
        for name, kwargs in (("size", dict(size=0, dim=2)), ("dim", dict(size=4, dim=2.0)),
                             ("views", dict(size=4, dim=2, views=None))):
            with self.assertRaisesRegex(ValueError, rf"{name} must be an int >= 1. Received: {name}="):
                layers.KeyQueue(**kwargs)
        queue = layers.KeyQueue(4, 2, views=2)
        for shape in ((1, 2, 2), (2, 5, 2), (2, 2, 3)):
            with self.assertRaisesRegex(ValueError, rf"keys must be \(views=2, n <= size=4, dim=2\). Received: keys.shape=" + re.escape(str(shape))):
                queue.enqueue(keras.ops.ones(shape))
