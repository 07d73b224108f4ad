import itertools
import math

import keras
import numpy as np
from absl.testing import parameterized

from ssl_zoo import backbones
from ssl_zoo import models
from ssl_zoo.models.jigsaw import JigsawTiles
from ssl_zoo.models.jigsaw import hamming_distances
from ssl_zoo.models.jigsaw import jigsaw_permutations
from ssl_zoo.testing.test_case import TestCase
from ssl_zoo.testing.test_case import random_normal
from ssl_zoo.testing.tiny import one_stage_backbone
from ssl_zoo.testing.tiny import random_images


def pairwise(permutations):
    """(minimum, mean) Hamming distance over the pairs of a set, in plain Python."""
    pairs = [sum(a != b for a, b in zip(p, q)) for p, q in itertools.combinations(permutations.tolist(), 2)]
    return min(pairs), sum(pairs) / len(pairs)


def best_sets(num_tiles, size):
    """Brute force: the best (minimum, mean) distance of any set of `size` holding the identity."""
    others = list(itertools.permutations(range(num_tiles)))[1:]
    stats = [pairwise(np.array([tuple(range(num_tiles)), *subset])) for subset in itertools.combinations(others, size - 1)]
    return max(s[0] for s in stats), max(s[1] for s in stats)


def tiles_numpy(images, grid, gap, order, offsets):
    """The tiles of one image by NumPy slicing: position p holds tile order[p] at offsets[p],
    standardized and given the image's mean and standard deviation (float64)."""
    height, width, _ = images.shape
    cell_h, cell_w = height // grid, width // grid
    out = []
    for p, tile in enumerate(order):
        top, left = (tile // grid) * cell_h + offsets[p][0], (tile % grid) * cell_w + offsets[p][1]
        cut = images[top : top + cell_h - gap, left : left + cell_w - gap].astype(np.float64)
        cut = (cut - cut.mean((0, 1))) / np.sqrt(cut.var((0, 1)) + 1e-6)
        out.append(cut * np.sqrt(images.var((0, 1)) + 1e-6) + images.mean((0, 1)))
    return np.stack(out)


class JigsawPermutationsTest(TestCase):
    @parameterized.parameters((3, 2), (3, 3), (3, 4), (3, 5), (4, 2), (4, 3), (4, 4), (4, 5), (4, 6))
    def test_against_the_brute_force_best_sets(self, num_tiles, size):
        chosen = jigsaw_permutations(num_tiles, size, seed=0)
        best_min, best_mean = best_sets(num_tiles, size)
        minimum, mean = pairwise(chosen)
        self.assertAllClose(mean, best_mean, atol=1e-12)  # greedy reaches the best mean here
        if num_tiles == 4 and size >= 5:
            # Greedy takes the 4 orders at distance 4 first (a Latin square), after which every
            # other order is 2 from one of them; the best set of 5 keeps 3 apart.
            self.assertEqual((minimum, best_min), (2, 3))
        else:
            self.assertEqual(minimum, best_min)

    def test_each_step_takes_the_farthest_order(self):
        chosen = jigsaw_permutations(5, 12, seed=3)
        everything = np.array(list(itertools.permutations(range(5))))
        np.testing.assert_array_equal(chosen[0], np.arange(5))  # the identity is class 0
        for k in range(1, len(chosen)):
            rest = np.array([p for p in everything.tolist() if p not in chosen[:k].tolist()])
            d = hamming_distances(chosen[:k], rest)
            score = [(m, t) for m, t in zip(d.min(axis=0), d.sum(axis=0))]
            picked = score[rest.tolist().index(chosen[k].tolist())]
            self.assertEqual(picked, max(score))

    def test_every_order_of_four_and_a_seeded_set_of_nine(self):
        every = jigsaw_permutations(4, 24)
        self.assertEqual(len({tuple(p) for p in every.tolist()}), math.factorial(4))
        a, b = jigsaw_permutations(9, 30, seed=1), jigsaw_permutations(9, 30, seed=1)
        np.testing.assert_array_equal(a, b)
        self.assertGreaterEqual(pairwise(a)[0], 6)

    def test_bad_sizes(self):
        with self.assertRaisesRegex(ValueError, r"num_permutations must be an int in \[2, 24\].*=25"):
            jigsaw_permutations(4, 25)
        with self.assertRaisesRegex(ValueError, r"num_tiles must be an int >= 2"):
            jigsaw_permutations(1, 1)


class JigsawTilesTest(TestCase):
    def test_tiles_are_the_numpy_slices(self):
        images = random_images(3)[..., None].astype("float32") / 255.0
        layer = JigsawTiles(16, 16, grid=2, gap=2, permutations=jigsaw_permutations(4, 24), seed=0)
        tiles, labels = layer(images, training=False)
        self.assertEqual(keras.ops.convert_to_numpy(labels).tolist(), [0, 0, 0])
        expected = np.concatenate([tiles_numpy(im, 2, 2, range(4), [(1, 1)] * 4) for im in images])
        self.assertAllClose(tiles, expected, atol=1e-5)
        # Training: each position holds the tile its label names, at an offset within the gap.
        tiles, labels = layer(images, training=True)
        tiles = keras.ops.convert_to_numpy(tiles).reshape(3, 4, 6, 6, 1)
        for image, image_tiles, label in zip(images, tiles, keras.ops.convert_to_numpy(labels)):
            order = layer.permutations[label]
            for p in range(4):
                matches = [
                    np.max(np.abs(tiles_numpy(image, 2, 2, [order[p]], [(dy, dx)])[0] - image_tiles[p]))
                    for dy in range(3) for dx in range(3)
                ]
                self.assertLess(min(matches), 1e-5)

    def test_drawn_orders_cover_the_set(self):
        layer = JigsawTiles(16, 16, grid=2, gap=0, permutations=jigsaw_permutations(4, 24), seed=0)
        _, labels = layer(np.zeros((256, 16, 16, 1), "float32"), training=True)
        self.assertEqual(len(set(keras.ops.convert_to_numpy(labels).tolist())), 24)


class JigsawTest(TestCase):
    def test_loss_is_the_cross_entropy_of_the_drawn_permutation(self):
        model = models.Jigsaw(one_stage_backbone(), hidden_dim=8, seed=1)
        logits = random_normal((5, 24))
        labels = np.array([0, 3, 23, 7, 7], "int32")
        loss = model.compute_loss(y_pred={"logits": logits, "permutations": labels})
        log_softmax = logits - np.log(np.exp(logits.astype(np.float64)).sum(axis=1, keepdims=True))
        self.assertAllClose(loss, -np.mean(log_softmax[np.arange(5), labels]), atol=1e-5)

    def test_defaults_follow_the_image_size(self):
        model = models.Jigsaw(one_stage_backbone(), hidden_dim=8)
        self.assertEqual((model.grid, model.num_permutations, model.tiles.tile_size), (2, 24, (6, 6)))
        outputs = model(random_images(2)[..., None].astype("float32"), training=True)
        self.assertEqual(tuple(outputs["logits"].shape), (2, 24))
        # A saved set is taken as it is (the preset round trip of the shared tests reloads it).
        reversed_set = models.Jigsaw(one_stage_backbone(), permutations=model.permutations[::-1])
        np.testing.assert_array_equal(reversed_set.permutations, model.permutations[::-1])

    def test_bad_arguments(self):
        with self.assertRaisesRegex(ValueError, r"grid must divide the image size 16x16 px.*grid=3 \(divisors of both sides: \[2, 4, 8, 16\]\)"):
            models.Jigsaw(one_stage_backbone(), grid=3)
        with self.assertRaisesRegex(ValueError, r"num_permutations must be an int in \[2, 24\].*=30"):
            models.Jigsaw(one_stage_backbone(), num_permutations=30)
        with self.assertRaisesRegex(ValueError, r"Tiles of 3x3 px are smaller than the backbone's downsampling \(4x4 px per output pixel of SmallResNetBackbone\)"):
            models.Jigsaw(backbones.build_backbone("resnet_tiny", (28, 28, 1)), gap=11)
        with self.assertRaisesRegex(ValueError, r"gap must be an int in \[0, 8\).*gap=8"):
            models.Jigsaw(one_stage_backbone(), gap=8)
        with self.assertRaisesRegex(ValueError, r"permutations must be at least 2 distinct orders of the 4 tiles"):
            models.Jigsaw(one_stage_backbone(), permutations=[[0, 1, 2, 3], [0, 1, 2, 3]])
