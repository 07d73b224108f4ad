"""Data-parallel training of ssl_zoo tasks, with the engine each backend ships."""

import keras

from ssl_zoo import arguments
from ssl_zoo.distribution import backend


class DataParallel:
    """Train on several devices with each loss computed over the global batch.

    JAX uses `keras.distribution.DataParallel` (GSPMD), TensorFlow
    `tf.distribute.MirroredStrategy`, PyTorch one process per replica started by `torchrun`
    (gradients averaged as DDP does). `ssl_zoo.distribution.gather_replicas` gives contrastive
    losses every replica's projections, and batch normalization uses the global batch, so a
    step on `K` replicas equals a step on one device with the same global batch.

    Build, compile and fit the model inside the `with` block; save it after the block (on
    the process where `is_chief`).

    Args:
        devices: int or None. Replicas in this process on JAX and TensorFlow (the first
            `devices` accelerators, or as many CPU devices without accelerators); None for
            one. PyTorch takes None: its replicas are `torchrun`'s processes.

    Example:
    ```python
    with ssl_zoo.distribution.DataParallel(devices=4) as parallel:
        model = ssl_zoo.models.SimCLR(backbone)
        model.compile()
        parallel.prepare(model)
        x, batch_size = parallel.shard(x_train, global_batch_size=512)
        model.fit(x, batch_size=batch_size)
    if parallel.is_chief:
        model.save_to_preset("simclr_4_devices")
    ```
    """

    def __init__(self, devices=None):
        if devices is not None and (not arguments.is_int(devices) or devices < 1):
            raise ValueError(f"devices must be an int >= 1 or None. Received: devices={devices!r}")
        name = keras.config.backend()
        if name not in ("jax", "tensorflow", "torch"):
            raise ValueError(f"DataParallel supports jax, tensorflow and torch. Received: {name}")
        engine = backend.module().Engine
        self._engine = engine(devices or 1) if name != "torch" else engine(devices)
        self._scope = None

    @property
    def num_replicas(self):
        """Replicas in all processes together."""
        return self._engine.num_replicas

    @property
    def process_index(self):
        """This process's rank: 0 unless PyTorch or several hosts run several processes."""
        return self._engine.process_index

    @property
    def is_chief(self):
        """True on the process that writes files (rank 0)."""
        return self.process_index == 0

    def __enter__(self):
        self._scope = self._engine.scope()
        self._scope.__enter__()
        return self

    def __exit__(self, *exc_info):
        try:
            self._engine.release()
        finally:
            self._scope.__exit__(*exc_info)

    def prepare(self, model):
        """Ready a compiled model: same start on every replica, global batch norm.

        Args:
            model: a compiled `keras.Model` built inside the `with` block.
        """
        if getattr(model, "optimizer", None) is None:
            raise ValueError("prepare(model) needs a compiled model: call model.compile() first.")
        self._engine.prepare(model)

    def shard(self, x, global_batch_size):
        """This process's rows of a NumPy dataset and the batch size to give `fit`.

        With several replicas every step splits evenly over them: the rows past the last
        whole global batch are dropped, and each process keeps its share of every global
        batch. One replica takes `x` and the batch size as they are.

        Args:
            x: array `(n, ...)`, the same on every process.
            global_batch_size: int. Images per step over all replicas together.

        Returns:
            `(x_local, batch_size)` to pass to `fit`.
        """
        if self.num_replicas == 1:
            return x, global_batch_size
        batch_size = self._process_batch_size(global_batch_size)
        steps = len(x) // global_batch_size
        if steps == 0:
            raise ValueError(
                f"{len(x)} images make no whole batch of {global_batch_size}: lower the batch size."
            )
        processes, index = self._engine.process_count, self._engine.process_index
        x = x[: steps * global_batch_size].reshape(steps, processes, batch_size, *x.shape[1:])
        return x[:, index].reshape(steps * batch_size, *x.shape[3:]), batch_size

    def shard_stream(self, stream, global_batch_size, seed=0):
        """This process's batches of an `ssl_zoo.data.ImageStream` and the steps of one pass.

        Every process draws the same shuffled order of the files from `seed` and takes its own
        share of it, batched by its share of `global_batch_size`; every process takes the
        same number of steps. A stream of fewer files than `global_batch_size` is taken in
        one batch of all its files (rounded down to a multiple of the replicas), as `fit`
        takes a small array.

        Args:
            stream: an `ssl_zoo.data.ImageStream`.
            global_batch_size: int. Images per step over all replicas together.
            seed: int. Seed of the shuffle, the same on every process.

        Returns:
            `(dataset, steps_per_epoch)` to pass to `fit` (without a `batch_size`).
        """
        self._process_batch_size(global_batch_size)
        if len(stream) >= self.num_replicas:
            global_batch_size = min(global_batch_size, len(stream) - len(stream) % self.num_replicas)
        batch_size = self._process_batch_size(global_batch_size)
        dataset = stream.dataset(
            batch_size, seed=seed, shard_index=self._engine.process_index,
            shard_count=self._engine.process_count,
        )
        return dataset, stream.steps_per_epoch(global_batch_size)

    def _process_batch_size(self, global_batch_size):
        """This process's share of a global batch, which must split evenly over the replicas."""
        if global_batch_size % self.num_replicas:
            raise ValueError(
                f"The batch size must split evenly over {self.num_replicas} replicas. "
                f"Received: batch_size={global_batch_size}"
            )
        return global_batch_size // self._engine.process_count
