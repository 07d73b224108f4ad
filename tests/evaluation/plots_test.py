import os

import numpy as np
from PIL import Image

from ssl_zoo import evaluation
from ssl_zoo.testing.test_case import TestCase


class PlotsTest(TestCase):
    def test_label_efficiency_curve_is_a_png(self):
        path = os.path.join(self.get_temp_dir(), "curve.png")
        report = {"preset": "p", "fractions": [0.01, 0.1, 1.0],
                  "accuracy": {"linear probe": [0.5, 0.7, 0.9], "raw pixels": [0.4, 0.6, 0.8]}}
        evaluation.plot_label_efficiency(report, path)
        with Image.open(path) as image:
            self.assertEqual(image.format, "PNG")
            self.assertGreater(image.size[0], 300)

    def test_embedding_plot_for_pca_and_tsne(self):
        rng = np.random.default_rng(0)
        labels = np.arange(60) % 3
        features = rng.normal(size=(60, 5)) + labels[:, None] * 5.0
        for method in ("pca", "tsne"):
            path = os.path.join(self.get_temp_dir(), f"{method}.png")
            evaluation.plot_embedding(features, labels, path, ["a", "b", "c"], method=method)
            with Image.open(path) as image:
                self.assertEqual(image.format, "PNG")

    def test_legend_names_every_class_up_to_ten(self):
        labels = np.array([2, 0, 1, 2, 0, 2])
        groups = evaluation.plots.legend_groups(labels, ["a", "b", "c"])
        self.assertEqual([name for name, _ in groups], ["a", "b", "c"])
        self.assertEqual([members.tolist() for _, members in groups], [(labels == k).tolist() for k in (0, 1, 2)])

    def test_legend_of_many_classes_names_the_nine_largest_and_grays_the_rest(self):
        # Class k has k + 1 members: 45 classes, the largest are 44, 43, ..., 36.
        labels = np.repeat(np.arange(45), np.arange(1, 46))
        groups = evaluation.plots.legend_groups(labels)
        self.assertEqual([name for name, _ in groups], [str(k) for k in range(44, 35, -1)] + [None])
        self.assertEqual(groups[-1][1].tolist(), (labels < 36).tolist())
        self.assertEqual(sum(int(members.sum()) for _, members in groups), len(labels))

    def test_bad_input_leaves_an_existing_plot_alone(self):
        path = os.path.join(self.get_temp_dir(), "embedding.png")
        with open(path, "wb") as f:
            f.write(b"old")
        with self.assertRaisesRegex(ValueError, "features must be \\(n, d\\) with one label per row"):
            evaluation.plot_embedding(np.zeros((10, 2)), np.zeros(9), path)
        with self.assertRaisesRegex(ValueError, "method must be 'pca' or 'tsne'. Received: method='umap'"):
            evaluation.plot_embedding(np.zeros((10, 2)), np.zeros(10), path, method="umap")
        with open(path, "rb") as f:
            self.assertEqual(f.read(), b"old")
        self.assertEqual(os.listdir(os.path.dirname(path)), ["embedding.png"])
