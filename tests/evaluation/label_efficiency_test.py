import os

import numpy as np

from ssl_zoo import evaluation
from ssl_zoo import models
from ssl_zoo.testing.test_case import TestCase
from ssl_zoo.testing.tiny import tiny_backbone


class LabelEfficiencyTest(TestCase):
    def test_rows_are_measured_on_the_same_subsets(self):
        path = os.path.join(self.get_temp_dir(), "simclr")
        simclr = models.SimCLR(tiny_backbone(), projection_dim=4, projection_hidden_dim=8)
        simclr.save_to_preset(path)
        rng = np.random.default_rng(0)
        images = rng.integers(0, 256, (60, 16, 16)).astype("uint8")
        labels = np.arange(60) % 3
        train, test = slice(0, 40), slice(40, 60)
        report = evaluation.label_efficiency(path, images[train], labels[train], images[test], labels[test],
                                             fractions=(0.5, 1.0), log=None, min_steps=2)
        self.assertEqual(report["fractions"], [0.5, 1.0])
        self.assertEqual(list(report["accuracy"]), ["linear probe", "fine-tuned", "from scratch", "raw pixels"])
        f_train = evaluation.extract_features(simclr, images[train])
        f_test = evaluation.extract_features(simclr, images[test])
        self.assertAllClose(report["test_features"], f_test, atol=1e-5)
        for i, fraction in enumerate((0.5, 1.0)):
            self.assertEqual(
                report["accuracy"]["linear probe"][i],
                evaluation.linear_probe(f_train, labels[train], f_test, labels[test], fraction),
            )
            self.assertEqual(
                report["accuracy"]["raw pixels"][i],
                evaluation.input_baseline(images[train], labels[train], images[test], labels[test], fraction),
            )
