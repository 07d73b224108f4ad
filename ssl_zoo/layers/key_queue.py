"""A first-in, first-out bank of past keys: MoCo's dictionary of negatives."""

import keras

from ssl_zoo import arguments


@keras.saving.register_keras_serializable(package="ssl_zoo")
class KeyQueue(keras.layers.Layer):
    """The last `size` keys of each of `views` streams, oldest overwritten first.

    MoCo (He et al. 2020, Sec. 3.2) keeps "a dictionary as a queue of data samples": the keys
    of the current batch are enqueued after the loss and the oldest are removed. The queue is
    a ring buffer: `keys` `(views, size, dim)` and `pointer`, the row the next key goes to.
    `enqueue(new)` writes the `n` new keys of each view to rows `pointer, ..., pointer + n - 1`
    (modulo `size`) and moves `pointer` by `n`, so after any sequence of batches of at most
    `size` keys, `roll(keys, -pointer, axis=1)` holds the last `size` keys enqueued, oldest
    first (before the first `size`, the initial rows fill the rest). A partial last batch is
    enqueued like any other.

    The rows start as random unit vectors (seeded), as the official code's. Both variables are
    non-trainable and saved with the layer; `read()` returns a stop-gradient copy (torch
    refuses to assign a buffer a step has read for its backward pass). Under data parallelism
    enqueue the keys gathered from every replica, the same on all of them: each replica then
    holds the same queue (a variable assigned in a `tf.distribute` replica changes on that
    replica only).

    Args:
        size: int >= 1. Keys per view (MoCo: 65,536 on ImageNet).
        dim: int >= 1. Width of a key.
        views: int >= 1, 1 by default. Independent queues (solo-learn's MoCo v2+ keeps one per
            view).
        seed: int or None. Seed of the initial rows.

    Example:
    ```python
    queue = ssl_zoo.layers.KeyQueue(size=4096, dim=128)
    negatives = queue.read()[0]  # (4096, 128)
    queue.enqueue(keys[None])    # keys (B, 128), the global batch's
    ```
    """

    def __init__(self, size, dim, views=1, seed=None, **kwargs):
        super().__init__(**kwargs)
        for name, value in (("size", size), ("dim", dim), ("views", views)):
            if not (arguments.is_int(value) and value >= 1):
                raise ValueError(f"{name} must be an int >= 1. Received: {name}={value!r}")
        # === Config ===
        self.size = int(size)
        self.dim = int(dim)
        self.views = int(views)
        self.seed = seed
        self.build()

    def build(self, input_shape=None):
        if self.built:  # at construction, then again by build_from_config when loading
            return
        self.keys = self.add_weight(
            name="keys", shape=(self.views, self.size, self.dim), trainable=False,
            initializer=self._unit_rows,
        )
        self.pointer = self.add_weight(
            name="pointer", shape=(), dtype="int", initializer="zeros", trainable=False
        )

    def _unit_rows(self, shape, dtype=None):
        rows = keras.random.normal(shape, dtype="float32", seed=self.seed)
        return keras.ops.cast(keras.ops.normalize(rows, axis=-1), dtype or "float32")

    def read(self):
        """The keys `(views, size, dim)` float32, a copy without gradient."""
        return keras.ops.stop_gradient(keras.ops.copy(self.keys))

    def enqueue(self, keys):
        """Write `keys` `(views, n, dim)`, `n <= size`, over the oldest rows of each view.

        Call it inside the training step, after the loss has read the queue.
        """
        views, n, dim = keys.shape  # n may be unknown while tracing (a TF all-gather)
        if (views, dim) != (self.views, self.dim) or (n is not None and n > self.size):
            raise ValueError(
                f"keys must be (views={self.views}, n <= size={self.size}, dim={self.dim}). "
                f"Received: keys.shape={tuple(keys.shape)}"
            )
        n = keras.ops.shape(keys)[1]
        rows = (self.pointer + keras.ops.arange(n, dtype="int32")) % self.size  # (n,)
        view_ids = keras.ops.repeat(keras.ops.arange(self.views, dtype="int32"), n)
        indices = keras.ops.stack([view_ids, keras.ops.tile(rows, [self.views])], axis=1)
        updates = keras.ops.reshape(keras.ops.cast(keys, self.keys.dtype), (-1, self.dim))
        written = keras.ops.scatter_update(keras.ops.copy(self.keys), indices, keras.ops.stop_gradient(updates))
        self.keys.assign(keras.ops.stop_gradient(written))
        self.pointer.assign((self.pointer + keras.ops.cast(n, "int32")) % self.size)

    def get_config(self):
        config = super().get_config()
        config.update({"size": self.size, "dim": self.dim, "views": self.views, "seed": self.seed})
        return config
