"""The GPU side of `bench_case`: one forward+backward (or the roofline) on the backend's GPU.

`step(case, z_a, z_b)` returns `(step, allocated_mib)` as `bench_case._step` does: a callable
that runs once and waits for the device, and a function of it giving the MiB the GPU
allocator holds at peak beyond the inputs. Cases: `roofline`, `fused` (the backend's tiles:
XLA on JAX and TensorFlow, the PyTorch tile loop), `pallas` (JAX), `triton` (torch),
`reference`. Everything runs at the matmul precision `ssl_zoo.kernels.matmul_precision()`,
the roofline included (cuBLAS through the framework's matmul). Framework imports are local.
"""

import keras

from ssl_zoo.kernels import backend
from ssl_zoo.kernels import precision
from ssl_zoo.kernels import reference

# Rows of Z per roofline product: at N = 4096 one product is (4096, 8192) x (8192, 128), big
# enough for cuBLAS's full rate; at N = 262144 its output is 8 GiB. Each block's product is
# dropped before the next: all of them together are the (2N, 2N) matrix.
ROOFLINE_BLOCK = 4096


def step(case, z_a, z_b):
    """(step, allocated_mib) for `case` on the first GPU; raises SystemExit without one."""
    name = keras.config.backend()
    return {"jax": _jax, "tensorflow": _tensorflow, "torch": _torch}[name](case, z_a, z_b)


def _loss(case):
    if case in ("pallas", "triton"):
        return backend.gpu_module().nt_xent
    if case == "fused":
        return backend.module().nt_xent_fused
    return reference.nt_xent_reference


def _no_gpu(name, devices):
    raise SystemExit(f"ssl-zoo bench --device gpu: {name} sees no GPU (devices: {devices})")


def _jax(case, z_a, z_b):
    import jax
    import jax.numpy as jnp

    if jax.default_backend() != "gpu":
        _no_gpu("jax", jax.devices())
    names = {"highest": "highest", "tf32": "tensorfloat32"}
    if case == "roofline":
        z = jnp.concatenate([jnp.asarray(z_a), jnp.asarray(z_b)])
        rows = min(ROOFLINE_BLOCK, len(z))
        with jax.default_matmul_precision(names[precision.matmul_precision()]):
            mm = jax.jit(lambda x, y: x @ y.T).lower(z[:rows], z).compile()
        # One compiled shape: the last block is padded to the others' rows.
        blocks = [jnp.pad(z[i : i + rows], ((0, rows - len(z[i : i + rows])), (0, 0))) for i in range(0, len(z), rows)]

        def run():
            for _ in range(2):
                for x in blocks:
                    mm(x, z).block_until_ready()

        return run, None
    loss = _loss(case)
    a, b = jax.device_put(z_a), jax.device_put(z_b)
    grad = jax.jit(jax.value_and_grad(lambda a, b: loss(a, b, 0.5), argnums=(0, 1)))
    compiled = grad.lower(a, b).compile()
    stats = compiled.memory_analysis()
    held = (stats.temp_size_in_bytes + stats.output_size_in_bytes) / 2**20
    return lambda: jax.block_until_ready(compiled(a, b)), lambda step: held


def _torch(case, z_a, z_b):
    import torch

    if not torch.cuda.is_available():
        _no_gpu("torch", "cpu")
    torch.backends.cuda.matmul.allow_tf32 = precision.matmul_precision() == "tf32"
    if case == "roofline":
        z = torch.cat([torch.tensor(z_a), torch.tensor(z_b)]).cuda()

        def run():
            for _ in range(2):
                for i in range(0, len(z), ROOFLINE_BLOCK):
                    z[i : i + ROOFLINE_BLOCK] @ z.T
            torch.cuda.synchronize()

        return run, None
    loss = _loss(case)
    a = torch.tensor(z_a, device="cuda", requires_grad=True)
    b = torch.tensor(z_b, device="cuda", requires_grad=True)

    def run():
        torch.autograd.grad(loss(a, b, 0.5), (a, b))
        torch.cuda.synchronize()

    def allocated(step):
        torch.cuda.synchronize()
        before = torch.cuda.memory_allocated()
        torch.cuda.reset_peak_memory_stats()
        step()
        return (torch.cuda.max_memory_allocated() - before) / 2**20

    return run, allocated


def _tensorflow(case, z_a, z_b):
    import tensorflow as tf

    if not tf.config.list_physical_devices("GPU"):
        _no_gpu("tensorflow", tf.config.list_physical_devices())
    # tf.matmul (the roofline, the reference) follows TensorFlow's TF32 switch; the fused
    # tiles state their precision in the HLO.
    tf.config.experimental.enable_tensor_float_32_execution(precision.matmul_precision() == "tf32")
    with tf.device("GPU:0"):
        a, b = tf.constant(z_a), tf.constant(z_b)
    if case == "roofline":
        with tf.device("GPU:0"):
            z = tf.concat([a, b], axis=0)
            blocks = [z[i : i + ROOFLINE_BLOCK] for i in range(0, z.shape[0], ROOFLINE_BLOCK)]

        def run():
            with tf.device("GPU:0"):
                for _ in range(2):
                    for x in blocks:
                        product = tf.matmul(x, z, transpose_b=True)  # eager ops queue on one stream
                product[0, 0].numpy()  # waits for the queue

        return run, None
    loss = _loss(case)

    @tf.function
    def grad(a, b):
        with tf.GradientTape() as tape:
            tape.watch([a, b])
            value = loss(a, b, 0.5)
        return value, tape.gradient(value, [a, b])

    grad = grad.get_concrete_function(a, b)

    def allocated(step):
        tf.config.experimental.reset_memory_stats("GPU:0")
        before = tf.config.experimental.get_memory_info("GPU:0")["current"]
        step()
        return (tf.config.experimental.get_memory_info("GPU:0")["peak"] - before) / 2**20

    return lambda: [t.numpy() for t in tf.nest.flatten(grad(a, b))], allocated
