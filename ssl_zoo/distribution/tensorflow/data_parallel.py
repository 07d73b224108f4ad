"""Data-parallel training under TensorFlow: `tf.distribute.MirroredStrategy`.

One replica per device in this process; Keras splits each global batch over the replicas,
sums their gradients and averages the tracked loss. Batch normalization is made global for
the run (Keras's `synchronized=True`), as SimCLR's global BN: per-replica statistics let a
replica tell its own positives apart. Several machines use
`tf.distribute.MultiWorkerMirroredStrategy` with `TF_CONFIG` (docs/distributed.md).
"""

import keras
import tensorflow as tf


class Engine:
    """`MirroredStrategy` over the first `devices` GPUs, or over that many logical CPUs.

    Args:
        devices: int >= 1. Replicas to train. Without GPUs the host CPU is split into that
            many logical devices, which works only before TensorFlow starts its runtime.
    """

    def __init__(self, devices):
        gpus = tf.config.list_physical_devices("GPU")
        if not gpus and devices > 1:
            cpu = tf.config.list_physical_devices("CPU")[0]
            try:
                tf.config.set_logical_device_configuration(
                    cpu, [tf.config.LogicalDeviceConfiguration()] * devices
                )
            except RuntimeError:  # the runtime already started with its devices
                pass
        available = [d.name for d in tf.config.list_logical_devices("GPU" if gpus else "CPU")]
        if devices > len(available):
            raise ValueError(
                f"--devices {devices} asks for more devices than TensorFlow has: "
                f"{len(available)} ({', '.join(available)}). Logical CPU devices can only be "
                "made before TensorFlow runs anything."
            )
        self.num_replicas = devices
        self.process_index = 0
        self.process_count = 1
        self._strategy = tf.distribute.MirroredStrategy(available[:devices])
        self._synchronized = []

    def scope(self):
        """Build, compile and fit the model under this scope."""
        return self._strategy.scope()

    def prepare(self, model):
        """Synchronize the model's batch normalization over the replicas until `release`."""
        if self.num_replicas == 1:
            return
        for layer in model._flatten_layers():
            if isinstance(layer, keras.layers.BatchNormalization) and not layer.synchronized:
                layer.synchronized = True
                self._synchronized.append(layer)

    def release(self):
        """Restore the layers' settings, so that a saved preset loads on every backend."""
        for layer in self._synchronized:
            layer.synchronized = False
        self._synchronized = []
