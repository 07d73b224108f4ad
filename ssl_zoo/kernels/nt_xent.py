"""The public NT-Xent op: argument checks and the choice of implementation."""

import keras

from ssl_zoo.kernels import backend
from ssl_zoo.kernels import reference
from ssl_zoo.kernels import validation

IMPLEMENTATIONS = (None, "reference", "fused", "pallas", "triton")
GPU_KERNELS = {"jax": "pallas", "torch": "triton"}  # the GPU kernel of each backend that has one


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
        implementation: None, "reference", "fused", "pallas" or "triton". None and "fused"
            pick the backend's GPU kernel where it runs (Pallas on JAX on a GPU, Triton on
            CUDA tensors in PyTorch, D <= 256) and its tiled XLA or PyTorch kernel otherwise
            (TensorFlow: XLA tiles on every device); None falls back to the reference where
            a backend has no fused kernel, "fused" raises. "pallas" / "triton" ask for the
            GPU kernel and raise, naming the path that would run, where it can't.
            "reference" always builds the full (2N, 2N) matrix. Matmul precision:
            `ssl_zoo.kernels.set_matmul_precision` ("highest" by default).

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
            "implementation must be None, 'reference', 'fused', 'pallas' or 'triton'. "
            f"Received: implementation={implementation!r}"
        )
    z_a, z_b = validation.as_tensor(z_a, "z_a"), validation.as_tensor(z_b, "z_b")
    validation.check_nt_xent_args(z_a, z_b, temperature)
    if implementation == "reference":
        return reference.nt_xent_reference(z_a, z_b, temperature)
    gpu = backend.gpu_module()
    if implementation in ("pallas", "triton"):
        _check_gpu_request(implementation, gpu, z_a)
        return gpu.nt_xent(z_a, z_b, temperature)
    if gpu is not None and gpu.unavailable(z_a) is None:
        return gpu.nt_xent(z_a, z_b, temperature)
    fused = backend.fused("nt_xent_fused", implementation)
    if fused is None:
        return reference.nt_xent_reference(z_a, z_b, temperature)
    return fused(z_a, z_b, temperature)


def _check_gpu_request(implementation, gpu, z_a):
    """Raise, before any kernel launches, where the requested GPU kernel can't run."""
    name = keras.config.backend()
    if gpu is None or gpu.NAME != implementation:
        owner = [b for b, kernel in GPU_KERNELS.items() if kernel == implementation][0]
        here = (
            f"on {name}, implementation=None or 'fused' runs the XLA tiles of "
            "ssl_zoo/kernels/triangle.py on CPUs and GPUs alike"
            if gpu is None
            else f"on {name} the GPU kernel is {gpu.NAME!r}"
        )
        raise ValueError(
            f"implementation={implementation!r} is the {owner} backend's GPU kernel; {here}."
        )
    reason = gpu.unavailable(z_a, explicit=True)
    if reason is not None:
        raise ValueError(
            f"implementation={implementation!r} can't run: {reason}. For these inputs "
            f"implementation=None or 'fused' runs {gpu.FUSED_PATH}."
        )


def nt_xent_reference(z_a, z_b, temperature=0.5):
    """`nt_xent(..., implementation="reference")`, checked arguments included."""
    z_a, z_b = validation.as_tensor(z_a, "z_a"), validation.as_tensor(z_b, "z_b")
    validation.check_nt_xent_args(z_a, z_b, temperature)
    return reference.nt_xent_reference(z_a, z_b, temperature)


nt_xent_reference.__doc__ = reference.nt_xent_reference.__doc__
