"""The public NT-Xent op: argument checks and the choice of implementation."""

from ssl_zoo.kernels import backend
from ssl_zoo.kernels import reference
from ssl_zoo.kernels import validation

IMPLEMENTATIONS = (None, "reference", "fused")


def nt_xent(z_a, z_b, temperature=0.5, implementation=None):
    """NT-Xent over two views (SimCLR, Eq. 1), averaged over all 2N anchors.

    u = normalize(concat(z_a, z_b)); s_ij = u_i . u_j / temperature
    loss = mean_i [ logsumexp_{j != i} s_ij - s_{i, pos(i)} ]

    Each anchor has 1 positive and 2N - 2 negatives (the SimCLR paper's and lightly's
    convention; Google's SimCLR code reports twice this value).

    Args:
        z_a: float tensor (N, D). Projections of the first views; nested lists of numbers
            are taken as float32.
        z_b: float tensor (N, D). Projections of the second views.
        temperature: float > 0 (a Python or NumPy scalar), or a scalar tensor (learnable).
        implementation: None, "reference" or "fused". None picks the fused kernel where the
            backend has one and the reference otherwise; "fused" raises if it can't run;
            "reference" always builds the full (2N, 2N) matrix.

    Returns:
        Scalar float32 tensor.

    Example:
    ```python
    z_a, z_b = np.random.normal(size=(2, 256, 128))
    loss = ssl_zoo.kernels.nt_xent(z_a, z_b, temperature=0.1)
    ```
    """
    if implementation not in IMPLEMENTATIONS:
        raise ValueError(
            "implementation must be None, 'reference' or 'fused'. "
            f"Received: implementation={implementation!r}"
        )
    z_a, z_b = validation.as_tensor(z_a, "z_a"), validation.as_tensor(z_b, "z_b")
    validation.check_nt_xent_args(z_a, z_b, temperature)
    fused = getattr(backend.module(), "nt_xent_fused", None)
    if implementation == "fused" and fused is None:
        raise ValueError(
            "implementation='fused' is not available on this backend yet. "
            "Use implementation=None or 'reference'."
        )
    if implementation == "reference" or fused is None:
        return reference.nt_xent_reference(z_a, z_b, temperature)
    return fused(z_a, z_b, temperature)


def nt_xent_reference(z_a, z_b, temperature=0.5):
    """`nt_xent(..., implementation="reference")`, checked arguments included."""
    z_a, z_b = validation.as_tensor(z_a, "z_a"), validation.as_tensor(z_b, "z_b")
    validation.check_nt_xent_args(z_a, z_b, temperature)
    return reference.nt_xent_reference(z_a, z_b, temperature)


nt_xent_reference.__doc__ = reference.nt_xent_reference.__doc__
