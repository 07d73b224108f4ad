"""NT-Xent and InfoNCE written plainly in `keras.ops`: the oracles for the fused kernels and the
fallbacks."""

import keras


def nt_xent_reference(z_a, z_b, temperature=0.5):
    """NT-Xent over two views, building the full (2N, 2N) similarity matrix.

    u = normalize(concat(z_a, z_b)); s_ij = u_i . u_j / temperature
    loss = mean_i [ logsumexp_{j != i} s_ij - s_{i, pos(i)} ],  pos(i) = (i + N) mod 2N

    Chen et al., "A Simple Framework for Contrastive Learning of Visual Representations"
    (2020), Eq. 1, averaged over all 2N anchors (1 positive, 2N - 2 negatives each).

    Args:
        z_a: float tensor (N, D). Projections of the first views.
        z_b: float tensor (N, D). Projections of the second views.
        temperature: float > 0, or a scalar tensor (learnable).

    Returns:
        Scalar float32 tensor.

    Example:
    ```python
    loss = ssl_zoo.kernels.nt_xent_reference(np.ones((4, 8)), np.ones((4, 8)))  # log(7)
    ```
    """
    z = keras.ops.concatenate(
        [keras.ops.cast(z_a, "float32"), keras.ops.cast(z_b, "float32")], axis=0
    )  # (2N, D), accumulated in float32 whatever the input dtype
    u = normalize_rows(z)
    temperature = keras.ops.cast(temperature, "float32")
    n = keras.ops.shape(z_a)[0]
    s = keras.ops.matmul(u, keras.ops.transpose(u)) / temperature  # (2N, 2N)
    eye = keras.ops.eye(2 * n, dtype="bool")
    s_masked = keras.ops.where(eye, keras.ops.full_like(s, -float("inf")), s)
    lse = keras.ops.logsumexp(s_masked, axis=1)  # (2N,)
    u_pos = keras.ops.roll(u, n, axis=0)  # row i holds u_pos(i)
    s_pos = keras.ops.sum(u * u_pos, axis=1) / temperature  # (2N,)
    return keras.ops.mean(lse - s_pos)


def info_nce_reference(queries, keys, negatives=None, temperature=0.2, batch_negatives=True):
    """InfoNCE of each query against its own key, building the full logits.

    u = normalize(x) for every row of queries, keys and negatives; T = temperature
    logits_i = [u_q_i . u_k_1 .. u_q_i . u_k_N, u_q_i . u_n_1 .. u_q_i . u_n_K] / T
        (batch_negatives=False: logits_i = [u_q_i . u_k_i, u_q_i . u_n_1 .. u_q_i . u_n_K] / T)
    loss = mean_i [ logsumexp(logits_i) - u_q_i . u_k_i / T ]

    Oord et al., "Representation Learning with Contrastive Predictive Coding" (2018), Eq. 4,
    with the batch's other keys and a bank of negatives (MoCo v3, Chen et al. 2021; CLIP's
    image-to-text half, Radford et al. 2021), or with the bank only (MoCo v1/v2, He et al.
    2020, Chen et al. 2020: `logits = cat([l_pos, l_neg]) / T`, label 0).

    Args:
        queries: float tensor (N, D).
        keys: float tensor (N, D); key i is query i's positive.
        negatives: float tensor (K, D) or None: extra negatives (MoCo's queue).
        temperature: float > 0, or a scalar tensor (learnable). Default 0.2 (MoCo v2, v3).
        batch_negatives: bool. True (the default): the batch's other N - 1 keys are negatives
            too. False: only `negatives` are, which then needs K >= 1.

    Returns:
        Scalar float32 tensor. The logits are (N, N + K), or (N, 1 + K), float32, and autodiff
        keeps their softmax and gradient as large.

    Example:
    ```python
    loss = ssl_zoo.kernels.info_nce_reference(np.ones((4, 8)), np.ones((4, 8)))  # log(4)
    ```
    """
    # (N, D), (N, D), (K, D) or None: accumulated in float32 whatever the input dtype.
    u_q, u_k = (normalize_rows(keras.ops.cast(x, "float32")) for x in (queries, keys))
    u_n = None if negatives is None else normalize_rows(keras.ops.cast(negatives, "float32"))
    temperature = keras.ops.cast(temperature, "float32")
    s_pos = keras.ops.sum(u_q * u_k, axis=1) / temperature  # (N,)
    if batch_negatives:
        columns = u_k if u_n is None else keras.ops.concatenate([u_k, u_n], axis=0)  # (N + K, D)
        logits = keras.ops.matmul(u_q, keras.ops.transpose(columns)) / temperature  # (N, N + K)
    else:
        l_neg = keras.ops.matmul(u_q, keras.ops.transpose(u_n)) / temperature  # (N, K)
        logits = keras.ops.concatenate([s_pos[:, None], l_neg], axis=1)  # (N, 1 + K)
    return keras.ops.mean(keras.ops.logsumexp(logits, axis=1) - s_pos)


def normalize_rows(z, epsilon=1e-12):
    """Rows scaled to unit L2 norm; an all-zero row stays zero."""
    sq = keras.ops.sum(keras.ops.square(z), axis=-1, keepdims=True)
    return z * keras.ops.rsqrt(keras.ops.maximum(sq, epsilon))
