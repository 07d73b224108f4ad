"""MoCo v2's loss: each query against its own key and a queue of past keys."""

import keras

from ssl_zoo import kernels


def mocov2_loss(queries, keys, queue, temperature=0.2):
    """`mean_i -log( exp(q_i . k_i / T) / (exp(q_i . k_i / T) + sum_j exp(q_i . n_j / T)) )`.

    He et al. 2020, Eq. 1, as the official code computes it (facebookresearch/moco
    `builder.py`: `logits = [q . k, q . queue] / T`, label 0): `q`, `k` and the queue's rows
    `n_j` L2-normalized; the batch's other keys are not negatives. No gradient reaches
    `keys` (the momentum encoder's) or `queue`. Computed by `ssl_zoo.kernels.info_nce(...,
    batch_negatives=False)`, which never builds the `(B, K)` logits.

    Args:
        queries: float tensor (B, D). The query encoder's projections of one view.
        keys: float tensor (B, D). The momentum encoder's projections of the other view.
        queue: float tensor (K, D), K >= 1. Past keys, the negatives.
        temperature: float > 0. 0.2 (MoCo v2).

    Returns:
        float32 scalar tensor.
    """
    return kernels.info_nce(
        queries, keras.ops.stop_gradient(keys), keras.ops.stop_gradient(queue), temperature,
        batch_negatives=False,
    )
