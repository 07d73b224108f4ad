"""The matmul precision of the fused NT-Xent kernels: one policy for every backend and device.

- "highest" (default): float32 products and float32 accumulation, as on a CPU. JAX's XLA tiles
  run under `jax.default_matmul_precision("highest")`, TensorFlow's XLA tiles use dots with
  `operand_precision=HIGHEST`, the Pallas kernel uses `lax.Precision.HIGHEST` (Triton's
  `ieee`) and the Triton kernel `input_precision="ieee"`. Values agree with a float64 oracle
  to about 1e-6 (tests hold them to 1e-5).
- "tf32": products of inputs rounded to TensorFloat-32 (10 explicit mantissa bits) on tensor
  cores (Ampere and later), accumulated in float32. Faster on GPUs; the loss moves by up to
  `TF32_LOSS_TOLERANCE` (absolute) and, at temperatures >= 0.1, the gradient by up to
  `TF32_GRADIENT_TOLERANCE` of its largest entry (docs/decisions.md, "GPU kernels"). Near a
  solved task at temperature 0.05 the gradient is as small as TF32's error and loses its
  leading digits. On CPUs nothing changes: no CPU rounds products to TF32.

Inputs in bfloat16 and float16 are cast to float32 first under both policies. The keras.ops
reference (`implementation="reference"`) keeps each framework's own default.

`SSL_ZOO_MATMUL_PRECISION` sets the policy when ssl_zoo is imported; `set_matmul_precision`
changes it later and applies to kernels traced afterwards (a `jit` traced before keeps the
policy it was traced with).
"""

import os

PRECISIONS = ("highest", "tf32")
DEFAULT = "highest"
ENVIRONMENT_VARIABLE = "SSL_ZOO_MATMUL_PRECISION"
# TF32's error, twice the largest seen with TF32 products emulated on CPU (tools/
# bench_tf32_error.py: N = 2048, D = 128, temperatures 0.05 to 5, random and noisy-copy views):
# the loss moved by up to 9.3e-6 absolute, the gradient (T >= 0.1) by up to 2.2e-3 of its
# largest entry.
TF32_LOSS_TOLERANCE = 2e-5
TF32_GRADIENT_TOLERANCE = 5e-3


def _checked(precision, source):
    if precision not in PRECISIONS:
        raise ValueError(
            f"The matmul precision must be one of {', '.join(PRECISIONS)}. "
            f"Received: {source}={precision!r}"
        )
    return precision


_policy = _checked(os.environ.get(ENVIRONMENT_VARIABLE, DEFAULT), ENVIRONMENT_VARIABLE)


def matmul_precision():
    """The policy in force: "highest" (float32 products) or "tf32"."""
    return _policy


def set_matmul_precision(precision):
    """Choose the matmul precision of the fused NT-Xent kernels.

    Args:
        precision: "highest" (float32 products, the default) or "tf32" (TensorFloat-32
            products on GPUs with tensor cores; see this module's docstring for the
            tolerance).

    Example:
    ```python
    ssl_zoo.kernels.set_matmul_precision("tf32")
    ```
    """
    global _policy
    _policy = _checked(precision, "precision")
