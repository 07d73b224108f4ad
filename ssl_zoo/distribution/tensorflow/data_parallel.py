"""Data-parallel training under TensorFlow: `tf.distribute.MirroredStrategy`.

One replica per device in this process; Keras splits each global batch over the replicas,
sums their gradients and averages the tracked loss. An optimizer's gradient clipping
(`clipnorm`, `global_clipnorm`, `clipvalue`), which Keras applies to each replica's share
before the sum, is moved after it: the clip of the summed gradient, as on one device. Batch
normalization is made global for the run (Keras's `synchronized=True`), as SimCLR's global
BN: per-replica statistics let a replica tell its own positives apart. Several machines use
`tf.distribute.MultiWorkerMirroredStrategy` with `TF_CONFIG` (docs/distributed.md).
"""

import functools

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
        self._patched = []

    def scope(self):
        """Build, compile and fit the model under this scope."""
        return self._strategy.scope()

    def prepare(self, model):
        """Synchronize the model's batch normalization over the replicas and clip the summed
        gradient, until `release`."""
        if self.num_replicas == 1:
            return
        optimizer = model.optimizer
        if optimizer.clipnorm or optimizer.global_clipnorm or optimizer.clipvalue:
            optimizer._all_reduce_sum_gradients = functools.partial(
                _sum_then_clip, optimizer._all_reduce_sum_gradients, optimizer._clip_gradients
            )
            optimizer._clip_gradients = _unclipped  # Keras's call, before the sum
            self._patched.append(optimizer)
        for layer in model._flatten_layers():
            if isinstance(layer, keras.layers.BatchNormalization) and not layer.synchronized:
                layer.synchronized = True
                self._synchronized.append(layer)

    def release(self):
        """Restore the layers' settings, so that a saved preset loads on every backend."""
        for layer in self._synchronized:
            layer.synchronized = False
        self._synchronized = []
        for optimizer in self._patched:
            del optimizer._all_reduce_sum_gradients, optimizer._clip_gradients  # the class's again
        self._patched = []


def _unclipped(gradients):
    return gradients


def _sum_then_clip(all_reduce_sum, clip, grads_and_vars):
    """Keras's sum of the replicas' gradients, then the optimizer's clip of the sums."""
    summed = all_reduce_sum(grads_and_vars)
    clipped = clip([gradient for gradient, _ in summed])
    return [(gradient, variable) for gradient, (_, variable) in zip(clipped, summed)]
