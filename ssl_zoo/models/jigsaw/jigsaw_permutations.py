"""The fixed set of tile orders a jigsaw task classifies, far apart in Hamming distance."""

import itertools
import math

import numpy as np

from ssl_zoo import arguments


def hamming_distances(permutations, others):
    """`(len(permutations), len(others))` int array: positions where two orders differ."""
    permutations, others = np.asarray(permutations), np.asarray(others)
    return (permutations[:, None, :] != others[None, :, :]).sum(axis=-1)


def jigsaw_permutations(num_tiles, num_permutations, seed=0):
    """`num_permutations` orders of `num_tiles` tiles, chosen greedily far apart.

    Noroozi & Favaro 2016, Sec. 3.2 (Algorithm 1 of their supplement): the set starts from
    the identity (the order of the unshuffled tiles, class 0) and grows by the permutation
    farthest from the set chosen so far: the largest minimum Hamming distance to it, ties
    broken by the largest mean distance (the official code's criterion), then by a draw
    seeded by `seed`. With `num_permutations == num_tiles!` the set is every permutation.

    Args:
        num_tiles: int >= 2. Tiles of the grid (4 for 2x2, 9 for 3x3).
        num_permutations: int in [2, num_tiles!].
        seed: int. Seed of the tie-breaking draw.

    Returns:
        int32 array `(num_permutations, num_tiles)`: row `k` holds, for each position of the
        shuffled grid, the index of the tile placed there.
    """
    arguments.check_int("num_tiles", num_tiles, 2, " (tiles of the grid)")
    count = math.factorial(num_tiles)
    if not (arguments.is_int(num_permutations) and 2 <= num_permutations <= count):
        raise ValueError(
            f"num_permutations must be an int in [2, {count}], the orders of {num_tiles} tiles "
            f"(2x2: 24; 3x3: up to 362,880, 100 to 1,000 in practice). Received: num_permutations={num_permutations!r}"
        )
    candidates = np.array(list(itertools.permutations(range(num_tiles))), np.int32)  # identity first
    order = np.random.default_rng(seed).permutation(np.arange(1, count))
    candidates = np.concatenate([candidates[:1], candidates[order]])  # the tie-breaking draw
    chosen = [0]
    distances = hamming_distances(candidates[:1], candidates)[0].astype(np.int64)
    min_distance, total_distance = distances.copy(), distances.copy()
    available = np.ones(count, bool)
    available[0] = False
    for _ in range(num_permutations - 1):
        # Largest minimum distance, then largest total (mean) distance, then the first drawn.
        score = np.where(available, min_distance * (num_tiles * num_permutations + 1) + total_distance, -1)
        best = int(np.argmax(score))
        chosen.append(best)
        available[best] = False
        distances = hamming_distances(candidates[best : best + 1], candidates)[0]
        min_distance = np.minimum(min_distance, distances)
        total_distance += distances
    return candidates[chosen]
