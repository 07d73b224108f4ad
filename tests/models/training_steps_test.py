import numpy as np

from ssl_zoo.models.training_steps import fit_batch_size
from ssl_zoo.models.training_steps import fit_steps
from ssl_zoo.testing.test_case import TestCase


class Batches:
    def __len__(self):
        return 7


class FitStepsTest(TestCase):
    def test_steps_of_arrays_datasets_and_sequences(self):
        import tensorflow as tf

        x = np.zeros((10, 2))
        self.assertEqual(fit_steps(x, batch_size=4, epochs=3), 9)  # ceil(10 / 4) per epoch
        self.assertEqual(fit_steps(x, epochs=2), 2)  # Keras' batch of 32
        self.assertEqual(fit_steps(x, batch_size=4, epochs=3, initial_epoch=1), 6)
        self.assertEqual(fit_steps(x, batch_size=4, epochs=2, steps_per_epoch=5), 10)
        self.assertEqual(fit_steps(tf.data.Dataset.from_tensor_slices(x).batch(3), epochs=2), 8)
        self.assertEqual(fit_steps(Batches(), epochs=2), 14)  # len(): a DataLoader's, a PyDataset's batches
        endless = tf.data.Dataset.from_tensor_slices(x).repeat()
        self.assertIsNone(fit_steps(endless))
        self.assertEqual(fit_steps(endless, steps_per_epoch=4, epochs=2), 8)


class FitBatchSizeTest(TestCase):
    def test_batch_size_of_arrays_datasets_and_loaders(self):
        import tensorflow as tf
        import torch

        x = np.zeros((10, 2), "float32")
        self.assertEqual(fit_batch_size(x, 4), 4)
        self.assertEqual(fit_batch_size(x), 10)  # Keras' 32, more than the array holds
        self.assertEqual(fit_batch_size(tf.data.Dataset.from_tensor_slices(x).batch(4, drop_remainder=True)), 4)
        self.assertIsNone(fit_batch_size(tf.data.Dataset.from_tensor_slices(x).batch(4)))  # last batch smaller
        loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(torch.zeros(10, 2)), batch_size=5)
        self.assertEqual(fit_batch_size(loader), 5)
        self.assertIsNone(fit_batch_size(Batches()))
