"""MoCo v3's loss: each view's query against the momentum keys of the other view."""

import keras

from ssl_zoo import kernels


def mocov3_loss(q_a, q_b, k_a, k_b, temperature=0.2):
    """`ctr(q_a, sg(k_b)) + ctr(q_b, sg(k_a))`, `ctr(q, k) = 2T CE(q^ k^T / T)`.

    Chen, Xie & He 2021, Alg. 1: the logits of query `i` are its cosines with every key over
    the temperature `T`, its own key `i` is the label, and the cross-entropy (the mean over
    the queries, `ssl_zoo.kernels.info_nce` without negatives) is scaled by `2T`, as the
    official code (facebookresearch/moco-v3 `builder.py`, `contrastive_loss`) scales it,
    which makes the gradient's size independent of `T`. Both view orders are summed. Identical
    rows give `4T log(N)`; one pair gives 0. No gradient reaches `k_a` or `k_b` (the momentum
    encoder's projections); pass the keys of every replica (`distribution.gather_replicas`)
    to score each query against the global batch.

    Args:
        q_a, q_b: float tensors (N, D). Queries (online predictions) of views a and b.
        k_a, k_b: float tensors (N, D). Keys (momentum projections) of views a and b; key
            `i` is the positive of query `i` of the other view.
        temperature: float > 0. `T`.

    Returns:
        float32 scalar tensor.
    """
    k_a, k_b = (keras.ops.stop_gradient(keras.ops.convert_to_tensor(k)) for k in (k_a, k_b))
    scale = 2.0 * temperature
    return scale * (
        kernels.info_nce(q_a, k_b, temperature=temperature)
        + kernels.info_nce(q_b, k_a, temperature=temperature)
    )
