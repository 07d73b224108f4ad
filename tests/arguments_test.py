import numpy as np

from ssl_zoo import arguments
from ssl_zoo.testing.test_case import TestCase


class ArgumentsTest(TestCase):
    def test_numpy_scalars_are_numbers_and_bools_strings_arrays_are_not(self):
        for value in (3, np.int8(3), np.int64(3), np.uint16(3)):
            self.assertTrue(arguments.is_int(value), repr(value))
            self.assertTrue(arguments.is_real(value), repr(value))
        for value in (0.5, np.float16(0.5), np.float32(0.5), np.float64(0.5)):
            self.assertFalse(arguments.is_int(value), repr(value))
            self.assertTrue(arguments.is_real(value), repr(value))
        for value in (True, np.bool_(True), "3", "0.5", None, np.array([3]), [3]):
            self.assertFalse(arguments.is_int(value), repr(value))
            self.assertFalse(arguments.is_real(value), repr(value))

    def test_range_checks_name_the_argument_the_value_and_why(self):
        for value in (1e-9, 3, np.float32(0.5)):
            arguments.check_positive("temperature", value)
        for value in (0, -1.0, "0.5", True, None):
            with self.assertRaisesRegex(ValueError, f"temperature must be a number > 0 \\(T\\). Received: temperature={value!r}$"):
                arguments.check_positive("temperature", value, " (T)")
        for value in (0, 0.0051, np.float32(25)):
            arguments.check_non_negative("weight", value)
        for value in (-1e-9, "0", False, None):
            with self.assertRaisesRegex(ValueError, f"weight must be a number >= 0. Received: weight={value!r}$"):
                arguments.check_non_negative("weight", value)
        for value in (0, 1, 0.5, np.float64(0.99)):
            arguments.check_unit_interval("momentum", value)
        for value in (-0.1, 1.01, "0.9", False):
            with self.assertRaisesRegex(ValueError, rf"momentum must be a number in \[0, 1\]. Received: momentum={value!r}$"):
                arguments.check_unit_interval("momentum", value)
        for value in (0, 6, np.int64(2)):
            arguments.check_int("crops", value, 0)
        for value in (-1, 2.0, "2", True, None):
            with self.assertRaisesRegex(ValueError, f"crops must be an int >= 0 \\(k\\). Received: crops={value!r}$"):
                arguments.check_int("crops", value, 0, " (k)")
        with self.assertRaisesRegex(ValueError, "epochs must be an int >= 1. Received: epochs=0$"):
            arguments.check_int("epochs", 0, 1)

    def test_class_ids_are_int64_one_per_example(self):
        for labels in ([2, 0, 1], np.array([[2], [0], [1]]), np.array([2.0, 0.0, 1.0])):
            ids = arguments.class_ids(labels)
            self.assertEqual(ids.dtype, np.int64)
            self.assertEqual(ids.tolist(), [2, 0, 1])

    def test_class_ids_refuse_what_is_not_one_id_per_example(self):
        cases = [
            (3, "train_labels must be an array of class ids, one per example. Received a scalar: train_labels=3"),
            ([], r"train_labels is empty: pass one class id per example. Received: train_labels.shape=\(0,\)"),
            (["cat", "dog"], "train_labels must hold integer class ids. Received: train_labels.dtype=<U3"),
            (np.zeros((2, 2)), r"one class id per example. Received: train_labels.shape=\(2, 2\)"),
            ([0.5, 1], "fractions, NaN or inf"),
            ([np.nan, 1], "fractions, NaN or inf"),
        ]
        for labels, message in cases:
            with self.assertRaisesRegex(ValueError, message):
                arguments.class_ids(labels, "train_labels")
