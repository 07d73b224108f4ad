"""One NT-Xent benchmark case, run in its own process so its memory is its own.

    KERAS_BACKEND=jax python -m ssl_zoo.cli.bench_case fused 8192 128 5 [cpu|gpu]

Cases: `roofline`, `fused` (the backend's tiles), `reference`, `lightly` (torch), and on a
GPU `pallas` (JAX) and `triton` (torch). On a GPU the inputs live on the backend's first GPU,
every timed run waits for the device, and `peak_extra_mib` is what the GPU allocator holds at
peak beyond the inputs (XLA's buffer assignment on JAX, `torch.cuda.max_memory_allocated`,
TensorFlow's GPU allocator statistics); `rss_extra_mib` is the host's. The roofline and the
kernels run at the matmul precision `$SSL_ZOO_MATMUL_PRECISION` (default "highest").

Prints one JSON line: the median seconds of forward+backward (or of the roofline's products)
over `repeats` runs (more for short steps, see MIN_TIMED_S),
and two memory figures beyond the inputs, which exist before the step:
- `peak_extra_mib`: the most the step holds at once, counted by the framework's allocator
  where it keeps count: XLA's buffer assignment on JAX (temporaries and outputs of the compiled
  step), TensorFlow's allocator statistics (`TF_CPU_ALLOCATOR_USE_BFC`, set below) over a
  run after the first. PyTorch on CPU keeps no count; its allocator is `malloc` without a cache
  and nothing compiles, so its figure is the resident high-water mark below, taken after a
  warm-up step on 2 rows.
- `rss_extra_mib`: the process's resident high-water mark over the first run, above what it
  held before. JAX's step is compiled before that run; TensorFlow's XLA programs compile during
  it, so its figure includes the compiler's one-time memory.
Framework imports are local to the timing functions: this module serves the benchmark only.
"""

import contextlib
import ctypes
import json
import os
import statistics
import sys
import time

# TensorFlow keeps allocator statistics on CPU only with its BFC allocator; it reads this
# when it starts, so before Keras imports it.
os.environ.setdefault("TF_CPU_ALLOCATOR_USE_BFC", "true")

import keras  # noqa: E402
import numpy as np

from ssl_zoo.kernels import backend
from ssl_zoo.kernels import reference

ROOFLINE_BLOCK = 1024  # rows of Z per product in the roofline
# Short steps run `repeats` times and at least until MIN_TIMED_S have passed (MAX_RUNS at most):
# the median of a few short runs moves with the load of a shared machine (docs/decisions.md).
MIN_TIMED_S = 2.0
MAX_RUNS = 500
# glibc's mallopt parameter and the two thresholds of _count_buffers_while_held (its default
# starts at 128 KiB and grows to at most 32 MiB on 64-bit machines).
M_MMAP_THRESHOLD = -3
MMAP_EACH_BYTES = 128 * 1024
MMAP_AFTER_BYTES = 32 * 1024 * 1024


def main(argv):
    implementation, n, d, repeats = argv[0], int(argv[1]), int(argv[2]), int(argv[3])
    device = argv[4] if len(argv) > 4 else "cpu"
    rng = np.random.default_rng(0)
    z_a = rng.normal(size=(n, d)).astype("float32")
    z_b = rng.normal(size=(n, d)).astype("float32")
    if device == "gpu":
        from ssl_zoo.cli import bench_gpu

        step, allocated_mib = bench_gpu.step(implementation, z_a, z_b)
    else:
        step, allocated_mib = _step(implementation, z_a, z_b)
    with _count_buffers_while_held():
        _reset_peak_memory()
        base = _memory_mib("VmRSS")
        step()  # first run: the resident high-water mark; also the warm-up
        rss_extra = max(0.0, _memory_mib("VmHWM") - base)
    peak_extra = rss_extra if allocated_mib is None else allocated_mib(step)
    times = []
    while len(times) < repeats or (sum(times) < MIN_TIMED_S and len(times) < MAX_RUNS):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    print(json.dumps({
        "median_s": statistics.median(times),
        "peak_extra_mib": peak_extra,
        "rss_extra_mib": rss_extra,
    }))


def _step(implementation, z_a, z_b):
    """(step, allocated_mib): a compiled callable that runs one forward+backward (or the
    roofline) and waits for it, and a function of it giving the MiB its allocator counts at
    peak beyond the inputs, or None where the framework keeps no count."""
    name = keras.config.backend()
    if implementation == "roofline":
        return _roofline(name, np.concatenate([z_a, z_b])), None
    if implementation == "lightly":
        from lightly.loss import NTXentLoss

        loss_fn = NTXentLoss(temperature=0.5)
        return _torch_step(loss_fn, z_a, z_b), None
    loss = (
        backend.module().nt_xent_fused if implementation == "fused" else reference.nt_xent_reference
    )
    if name == "jax":
        import jax

        a, b = jax.device_put(z_a), jax.device_put(z_b)
        grad = jax.jit(jax.value_and_grad(lambda a, b: loss(a, b, 0.5), argnums=(0, 1)))
        compiled = grad.lower(a, b).compile()
        stats = compiled.memory_analysis()
        held = (stats.temp_size_in_bytes + stats.output_size_in_bytes) / 2**20
        return lambda: jax.block_until_ready(compiled(a, b)), lambda step: held
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
        return lambda: [t.numpy() for t in tf.nest.flatten(grad(a, b))], _tensorflow_allocated
    return _torch_step(lambda a, b: loss(a, b, 0.5), z_a, z_b), None


def _torch_step(loss, z_a, z_b):
    """Forward+backward of `loss(a, b)` on torch, after one step on 2 rows: torch starts its
    autograd engine and kernels lazily, memory that the resident mark of the measured run
    would otherwise count (docs/decisions.md)."""
    import torch

    warm = [torch.tensor(z[:2], requires_grad=True) for z in (z_a, z_b)]
    torch.autograd.grad(loss(*warm), warm)
    a, b = torch.tensor(z_a, requires_grad=True), torch.tensor(z_b, requires_grad=True)
    return lambda: torch.autograd.grad(loss(a, b), (a, b))


def _tensorflow_allocated(step):
    """Peak MiB TensorFlow's CPU allocator hands out during `step()` beyond what it held."""
    import tensorflow as tf

    tf.config.experimental.reset_memory_stats("CPU:0")
    before = tf.config.experimental.get_memory_info("CPU:0")["current"]
    step()
    return (tf.config.experimental.get_memory_info("CPU:0")["peak"] - before) / 2**20


def _roofline(name, z):
    """Twice one full Z @ Z.T, in row blocks of ROOFLINE_BLOCK, with the backend's matmul.

    Each block's product is dropped before the next is computed: all of them together are
    the (2N, 2N) matrix, 16 GiB at N=32768.
    """
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
        block_product = lambda x: mm(x, zj).block_until_ready()
    elif name == "tensorflow":
        import tensorflow as tf

        zt = tf.constant(z)
        blocks = [zt[i : i + ROOFLINE_BLOCK] for i in starts]
        block_product = lambda x: tf.matmul(x, zt, transpose_b=True).numpy()
    else:
        import torch

        zt = torch.tensor(z)
        blocks = [zt[i : i + ROOFLINE_BLOCK] for i in starts]
        block_product = lambda x: x @ zt.T

    def products():
        for _ in range(2):
            for x in blocks:
                block_product(x)

    return products


@contextlib.contextmanager
def _count_buffers_while_held():
    """Within: buffers of MMAP_EACH_BYTES or more are mapped alone and unmapped when freed,
    so the resident set is what is held. After: buffers below MMAP_AFTER_BYTES come from the
    heap again, as they do by default once the threshold has grown (timed runs stay fast)."""
    libc = ctypes.CDLL(None)
    libc.mallopt(M_MMAP_THRESHOLD, MMAP_EACH_BYTES)
    try:
        yield
    finally:
        libc.mallopt(M_MMAP_THRESHOLD, MMAP_AFTER_BYTES)


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
