import os
import subprocess
import sys

import keras
import pytest

from ssl_zoo import distribution
from ssl_zoo.testing.test_case import TestCase
from ssl_zoo.testing.test_case import random_normal

_SHARDED_NT_XENT = """
import jax, numpy as np
from jax.sharding import Mesh, NamedSharding, PartitionSpec
from ssl_zoo.kernels import nt_xent
assert len(jax.devices()) == 4, jax.devices()
rng = np.random.default_rng(0)
z_a, z_b = rng.normal(size=(2, 64, 8)).astype("float32")
mesh = Mesh(np.array(jax.devices()), ("batch",))
rows = NamedSharding(mesh, PartitionSpec("batch"))
sharded = [jax.device_put(z, rows) for z in (z_a, z_b)]
loss = lambda a, b: nt_xent(a, b, 0.3, implementation="fused")
value, grads = jax.jit(jax.value_and_grad(loss, argnums=(0, 1)))(*sharded)
assert len(grads[0].sharding.device_set) == 4, grads[0].sharding
ref_value, ref_grads = jax.value_and_grad(loss, argnums=(0, 1))(z_a, z_b)
np.testing.assert_allclose(value, ref_value, atol=1e-6)
for g, r in zip(grads, ref_grads):
    np.testing.assert_allclose(g, r, atol=1e-6)
print("ok")
"""


class ReplicasTest(TestCase):
    def test_one_device_is_the_identity(self):
        z = random_normal((6, 3))
        self.assertAllClose(distribution.gather_replicas(z), z)
        self.assertAllClose(distribution.replica_loss(keras.ops.convert_to_tensor(2.5)), 2.5)

    # Under JAX both ops are the identity on any number of devices: the jitted loss over a
    # sharded batch is already the global loss, as this checks for the fused kernel.
    @pytest.mark.skipif(keras.config.backend() != "jax", reason="GSPMD sharding is JAX's")
    def test_fused_nt_xent_on_a_sharded_batch_equals_the_unsharded_result(self):
        env = dict(os.environ, XLA_FLAGS="--xla_force_host_platform_device_count=4")
        result = subprocess.run([sys.executable, "-c", _SHARDED_NT_XENT], env=env,
                                capture_output=True, text=True, timeout=300)
        self.assertEqual(result.stdout.strip(), "ok", result.stderr[-3000:])
