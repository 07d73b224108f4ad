"""The public InfoNCE op: argument checks and the choice of implementation."""

from ssl_zoo.kernels import backend
from ssl_zoo.kernels import reference
from ssl_zoo.kernels import validation

IMPLEMENTATIONS = (None, "reference", "fused")


def info_nce(
    queries, keys, negatives=None, temperature=0.2, implementation=None, batch_negatives=True
):
    """InfoNCE: the cross-entropy of each query against its own key, over keys and negatives.

    u = normalize(x) for every row of queries, keys and negatives; T = temperature
    logits_i = [u_q_i . u_k_1 .. u_q_i . u_k_N, u_q_i . u_n_1 .. u_q_i . u_n_K] / T
        (batch_negatives=False: logits_i = [u_q_i . u_k_i, u_q_i . u_n_1 .. u_q_i . u_n_K] / T)
    loss = mean_i [ logsumexp(logits_i) - u_q_i . u_k_i / T ]

    Oord et al. (2018), Eq. 4. By default as MoCo v3 and CLIP's image-to-text half use it: the
    batch's other keys are negatives, and `negatives` (MoCo's queue) adds K more. With
    `batch_negatives=False` as MoCo v1/v2 use it (He et al. 2020; Chen et al. 2020): each query
    meets its own key and the queue only, `logits = cat([l_pos, l_neg]) / T` with label 0.
    Normalizing is part of the op, as in `nt_xent`; a bank of unit rows is left as it is.

    Args:
        queries: float tensor (N, D). Nested lists of numbers are taken as float32.
        keys: float tensor (N, D); key i is the positive of query i.
        negatives: float tensor (K, D), or None (the default) for none.
        temperature: float > 0 (a Python or NumPy scalar), or a scalar tensor (learnable).
            Default 0.2, MoCo v2's and v3's.
        implementation: None, "reference" or "fused". None picks the backend's tiled kernel
            (JAX, TensorFlow: XLA tiles; PyTorch: a tile loop), which never builds the
            (N, N + K) logits, and the reference where a backend has none; "fused" raises
            there. "reference" builds the full logits. Matmul precision:
            `ssl_zoo.kernels.set_matmul_precision` ("highest" by default).
        batch_negatives: bool. True (the default): the batch's other N - 1 keys are negatives.
            False: only `negatives` are, so it needs K >= 1 (a `ValueError` otherwise: the loss
            would be 0); the kernels then never build the (N, K) logits either.

    Returns:
        Scalar float32 tensor. float32, bfloat16 and float16 inputs are accumulated in float32;
        gradients reach `queries`, `keys`, `negatives` and a tensor `temperature`.

    Example:
    ```python
    q, k = np.random.normal(size=(2, 256, 128))
    queue = np.random.normal(size=(4096, 128))
    loss = ssl_zoo.kernels.info_nce(q, k, queue, temperature=0.2)
    moco_v2 = ssl_zoo.kernels.info_nce(q, k, queue, temperature=0.2, batch_negatives=False)
    ```
    """
    if implementation not in IMPLEMENTATIONS:
        raise ValueError(
            "implementation must be None, 'reference' or 'fused'. "
            f"Received: implementation={implementation!r}"
        )
    queries, keys, negatives = _as_tensors(queries, keys, negatives)
    validation.check_info_nce_args(queries, keys, negatives, temperature, batch_negatives)
    args = (queries, keys, negatives, temperature, batch_negatives)
    if implementation == "reference":
        return reference.info_nce_reference(*args)
    fused = backend.fused("info_nce_fused", implementation)
    if fused is None:
        return reference.info_nce_reference(*args)
    return fused(queries, keys, negatives, temperature, batch_negatives=batch_negatives)


def info_nce_reference(queries, keys, negatives=None, temperature=0.2, batch_negatives=True):
    """`info_nce(..., implementation="reference")`, checked arguments included."""
    queries, keys, negatives = _as_tensors(queries, keys, negatives)
    validation.check_info_nce_args(queries, keys, negatives, temperature, batch_negatives)
    return reference.info_nce_reference(queries, keys, negatives, temperature, batch_negatives)


info_nce_reference.__doc__ = reference.info_nce_reference.__doc__


def _as_tensors(queries, keys, negatives):
    queries, keys = validation.as_tensor(queries, "queries"), validation.as_tensor(keys, "keys")
    negatives = None if negatives is None else validation.as_tensor(negatives, "negatives")
    return queries, keys, negatives
