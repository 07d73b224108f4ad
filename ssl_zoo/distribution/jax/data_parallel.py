"""Data-parallel training under JAX: `keras.distribution.DataParallel` (GSPMD).

The variables are replicated, each batch is sharded over the devices on its first axis, and
the jitted step is one global program: the loss sees the global batch without a hand-written
gather. Several hosts start with `keras.distribution.initialize()` (`jax.distributed`)
before this runs; each process then feeds its own share of every batch.
"""

import contextlib

import jax
import keras


class Engine:
    """`keras.distribution.DataParallel` over the first `devices` local devices.

    Args:
        devices: int >= 1. Devices to train on. Without accelerators the host CPU is split
            into that many XLA devices, which works only before JAX starts its CPU backend.
    """

    def __init__(self, devices):
        try:
            jax.config.update("jax_num_cpu_devices", devices)
        except RuntimeError:  # the CPU backend already runs with the count it was started with
            pass
        available = keras.distribution.list_devices()
        if devices > len(available):
            raise ValueError(
                f"--devices {devices} asks for more devices than JAX has: {len(available)} "
                f"({', '.join(available)}). JAX fixes the CPU device count when it starts; "
                "request the devices before running anything else."
            )
        self.num_replicas = devices
        self.process_index = jax.process_index()
        self.process_count = jax.process_count()
        self._distribution = keras.distribution.DataParallel(devices=available[:devices])

    def scope(self):
        """Variables made and steps run under this scope follow the data-parallel layout."""
        if self.num_replicas == 1:
            return contextlib.nullcontext()
        return self._distribution.scope()

    def prepare(self, model):
        """Nothing to do: GSPMD normalizes batches and averages gradients globally."""

    def release(self):
        pass
