"""One NT-Xent or InfoNCE benchmark case, run in its own process so its memory is its own.

    KERAS_BACKEND=jax python -m ssl_zoo.cli.bench_case fused 8192 128 5 [cpu|gpu]
    KERAS_BACKEND=jax python -m ssl_zoo.cli.bench_case fused 4096 128 5 cpu info-nce 65536

NT-Xent takes N rows per view; InfoNCE (`info-nce K`, CPU only) N queries and N keys of width D
and a bank of K negatives, at temperature 0.2.

Cases: `roofline`, `fused` (the backend's tiles), `reference`, `lightly` (torch, NT-Xent), and on a
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
# Columns per InfoNCE roofline product: (1024, 2048) float32 outputs, 8 MiB, so the products,
# not the writing of whole rows, set the time (docs/decisions.md, "The InfoNCE roofline").
ROOFLINE_COLUMNS = 2048
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
    op = argv[5] if len(argv) > 5 else "nt-xent"
    rng = np.random.default_rng(0)
    rows = [n, n] + ([int(argv[6])] if op == "info-nce" else [])
    inputs = [rng.normal(size=(r, d)).astype("float32") for r in rows]
    if device == "gpu":
        from ssl_zoo.cli import bench_gpu

        step, allocated_mib = bench_gpu.step(implementation, *inputs)
    else:
        step, allocated_mib = _step(implementation, inputs, op)
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


# (loss of the fused kernel's module, reference loss, temperature) per op
OPS = {
    "nt-xent": ("nt_xent_fused", reference.nt_xent_reference, 0.5),
    "info-nce": ("info_nce_fused", reference.info_nce_reference, 0.2),
}


def _step(implementation, inputs, op="nt-xent"):
    """(step, allocated_mib): a compiled callable that runs one forward+backward (or the
    roofline) and waits for it, and a function of it giving the MiB its allocator counts at
    peak beyond the inputs, or None where the framework keeps no count."""
    name = keras.config.backend()
    if implementation == "roofline":
        if op == "info-nce":  # queries against keys and negatives: 4 products (docs/kernels.md)
            columns = np.concatenate(inputs[1:])
            return _roofline(name, inputs[0], columns, 4, ROOFLINE_COLUMNS), None
        z = np.concatenate(inputs)
        return _roofline(name, z, z, 2), None
    if implementation == "lightly":
        from lightly.loss import NTXentLoss

        loss_fn = NTXentLoss(temperature=0.5)
        return _torch_step(loss_fn, inputs), None
    fused, reference_loss, temperature = OPS[op]
    loss = getattr(backend.module(), fused) if implementation == "fused" else reference_loss
    if name == "jax":
        import jax

        arrays = [jax.device_put(x) for x in inputs]
        grad = jax.value_and_grad(lambda *x: loss(*x, temperature), argnums=tuple(range(len(arrays))))
        compiled = jax.jit(grad).lower(*arrays).compile()
        stats = compiled.memory_analysis()
        held = (stats.temp_size_in_bytes + stats.output_size_in_bytes) / 2**20
        return lambda: jax.block_until_ready(compiled(*arrays)), lambda step: held
    if name == "tensorflow":
        import tensorflow as tf

        tensors = [tf.constant(x) for x in inputs]

        @tf.function
        def grad(*x):
            with tf.GradientTape() as tape:
                tape.watch(x)
                value = loss(*x, temperature)
            return value, tape.gradient(value, x)

        grad = grad.get_concrete_function(*tensors)
        return lambda: [t.numpy() for t in tf.nest.flatten(grad(*tensors))], _tensorflow_allocated
    return _torch_step(lambda *x: loss(*x, temperature), inputs), None


def _torch_step(loss, inputs):
    """Forward+backward of `loss(*inputs)` on torch, after one step on 2 rows: torch starts its
    autograd engine and kernels lazily, memory that the resident mark of the measured run
    would otherwise count (docs/decisions.md)."""
    import torch

    warm = [torch.tensor(x[:2], requires_grad=True) for x in inputs]
    torch.autograd.grad(loss(*warm), warm)
    tensors = [torch.tensor(x, requires_grad=True) for x in inputs]
    return lambda: torch.autograd.grad(loss(*tensors), tensors)


def _tensorflow_allocated(step):
    """Peak MiB TensorFlow's CPU allocator hands out during `step()` beyond what it held."""
    import tensorflow as tf

    tf.config.experimental.reset_memory_stats("CPU:0")
    before = tf.config.experimental.get_memory_info("CPU:0")["current"]
    step()
    return (tf.config.experimental.get_memory_info("CPU:0")["peak"] - before) / 2**20


def _roofline(name, rows, columns, times, column_block=None):
    """`times` full `rows @ columns.T` with the backend's matmul, in blocks of ROOFLINE_BLOCK
    rows by `column_block` columns (None: all): NT-Xent twice Z @ Z.T, InfoNCE four
    Q @ [K; N].T.

    Each block's product is dropped before the next is computed: all of them together are
    the (2N, 2N) matrix, 16 GiB at N=32768.
    """
    column_block = column_block or len(columns)
    if name == "jax":
        import jax
        import jax.numpy as jnp

        # One compiled shape: the last blocks are padded to the first's rows and columns.
        pad = lambda x, b: jnp.pad(jnp.asarray(x), ((0, -len(x) % b), (0, 0)))
        zj, cj = pad(rows, min(ROOFLINE_BLOCK, len(rows))), pad(columns, column_block)
        split = lambda x, b: [x[i : i + b] for i in range(0, len(x), b)]
        pairs = [(x, y) for x in split(zj, ROOFLINE_BLOCK) for y in split(cj, column_block)]
        mm = jax.jit(lambda x, y: x @ y.T).lower(*pairs[0]).compile()
        block_product = lambda x, y: mm(x, y).block_until_ready()
    elif name == "tensorflow":
        import tensorflow as tf

        zt, ct = tf.constant(rows), tf.constant(columns)
        block_product = lambda x, y: tf.matmul(x, y, transpose_b=True).numpy()
    else:
        import torch

        zt, ct = torch.tensor(rows), torch.tensor(columns)
        block_product = lambda x, y: x @ y.T
    if name != "jax":
        pairs = [
            (zt[i : i + ROOFLINE_BLOCK], ct[j : j + column_block])
            for i in range(0, len(rows), ROOFLINE_BLOCK)
            for j in range(0, len(columns), column_block)
        ]

    def products():
        for _ in range(times):
            for x, y in pairs:
                block_product(x, y)

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
