"""One NT-Xent benchmark case, run in its own process so its peak memory is its own.

    KERAS_BACKEND=jax python -m ssl_zoo.cli.bench_case fused 8192 128 5

Prints one JSON line: median seconds of forward+backward (or of the roofline's products)
and the peak resident memory of the first run above what the process held before it. The
step is compiled (jit / tf.function traced) before that first run, so compilation is not
counted, and no allocator has cached the run's buffers yet. Framework imports are local to
the timing functions: this module serves the benchmark only.
"""

import json
import statistics
import sys
import time

import keras
import numpy as np

from ssl_zoo.kernels import backend
from ssl_zoo.kernels import reference

ROOFLINE_BLOCK = 1024  # rows of Z per product in the roofline


def main(argv):
    implementation, n, d, repeats = argv[0], int(argv[1]), int(argv[2]), int(argv[3])
    rng = np.random.default_rng(0)
    z_a = rng.normal(size=(n, d)).astype("float32")
    z_b = rng.normal(size=(n, d)).astype("float32")
    step = _step(implementation, z_a, z_b)
    _reset_peak_memory()
    base = _memory_mib("VmRSS")
    step()  # first run: the peak memory; also the warm-up
    peak_extra = max(0.0, _memory_mib("VmHWM") - base)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    print(json.dumps({
        "median_s": statistics.median(times),
        "peak_extra_mib": peak_extra,
    }))


def _step(implementation, z_a, z_b):
    """A compiled callable that runs one forward+backward (or the roofline) and waits for it."""
    name = keras.config.backend()
    if implementation == "roofline":
        return _roofline(name, np.concatenate([z_a, z_b]))
    if implementation == "lightly":
        from lightly.loss import NTXentLoss
        import torch

        loss_fn = NTXentLoss(temperature=0.5)
        a, b = torch.tensor(z_a, requires_grad=True), torch.tensor(z_b, requires_grad=True)
        return lambda: torch.autograd.grad(loss_fn(a, b), (a, b))
    loss = (
        backend.module().nt_xent_fused if implementation == "fused" else reference.nt_xent_reference
    )
    if name == "jax":
        import jax

        grad = jax.jit(jax.value_and_grad(lambda a, b: loss(a, b, 0.5), argnums=(0, 1)))
        compiled = grad.lower(z_a, z_b).compile()
        return lambda: jax.block_until_ready(compiled(z_a, z_b))
    if name == "tensorflow":
        import tensorflow as tf

        a, b = tf.constant(z_a), tf.constant(z_b)

        @tf.function
        def grad(a, b):
            with tf.GradientTape() as tape:
                tape.watch([a, b])
                value = loss(a, b, 0.5)
            return value, tape.gradient(value, [a, b])

        grad = grad.get_concrete_function(a, b)
        return lambda: [t.numpy() for t in tf.nest.flatten(grad(a, b))]
    import torch

    a, b = torch.tensor(z_a, requires_grad=True), torch.tensor(z_b, requires_grad=True)
    return lambda: torch.autograd.grad(loss(a, b, 0.5), (a, b))


def _roofline(name, z):
    """Twice one full Z @ Z.T, in row blocks of ROOFLINE_BLOCK, with the backend's matmul."""
    starts = range(0, len(z), ROOFLINE_BLOCK)
    if name == "jax":
        import jax
        import jax.numpy as jnp

        zj = jnp.asarray(z)
        blocks = [zj[i : i + ROOFLINE_BLOCK] for i in starts]
        mm = jax.jit(lambda x, y: x @ y.T).lower(blocks[0], zj).compile()
        # One compiled shape: the last block is padded to the first's rows.
        last = jnp.pad(blocks[-1], ((0, len(blocks[0]) - len(blocks[-1])), (0, 0)))
        blocks = blocks[:-1] + [last]
        product = lambda: [mm(x, zj).block_until_ready() for x in blocks]
    elif name == "tensorflow":
        import tensorflow as tf

        zt = tf.constant(z)
        blocks = [zt[i : i + ROOFLINE_BLOCK] for i in starts]
        product = lambda: [tf.matmul(x, zt, transpose_b=True).numpy() for x in blocks]
    else:
        import torch

        zt = torch.tensor(z)
        blocks = [zt[i : i + ROOFLINE_BLOCK] for i in starts]
        product = lambda: [x @ zt.T for x in blocks]
    return lambda: (product(), product())


def _reset_peak_memory():
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")  # resets VmHWM to the current VmRSS


def _memory_mib(field):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024.0
    raise RuntimeError(f"/proc/self/status has no {field}")


if __name__ == "__main__":
    main(sys.argv[1:])
