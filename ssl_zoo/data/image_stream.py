"""Image files streamed from disk by `tf.data`: decoded in parallel, never held in memory whole."""

import warnings

import numpy as np

from ssl_zoo.data import image_folder

_CHUNK = 16  # files decoded by one call


class ImageStream:
    """Image files that `fit` reads batch by batch, on every backend.

    `dataset()` gives a `tf.data.Dataset` (Keras 3's `fit` takes one under JAX, TensorFlow and
    PyTorch alike): the file names, listed once, are shuffled every pass with a buffer that
    holds all of them (names only, a few MB for 100,000 files), optionally sharded, decoded and
    resized by parallel calls of Pillow (the decoder `load_image_folder` uses, so a stream and
    the in-memory loader give the same arrays), batched and prefetched. Only the batches in
    flight are in memory, whatever the number of files.

    An unreadable file (truncated, not an image) is left out of its batch. At the end of a
    pass that met new ones, one `SkippedImagesWarning` counts them and names three; `skipped`
    lists them. With `strict=True` the first one stops the pass with a `ValueError`
    naming it (`failure` holds it: `tf.data` hands it on wrapped in its own error type).

    An iterator of the dataset that you make yourself (`iter(stream.dataset(...))`) must be
    deleted before Python exits: destroyed while the interpreter shuts down, a `tf.data`
    pipeline that calls Python can hang the process (seen in about one run in three here,
    with plain `tf.data` and `numpy_function` too). `fit` deletes its own.

    Args:
        files: list of str. Image file paths, e.g. from `list_image_folder`.
        labels: None or int array `(len(files),)`. Returned by `read()` with the images; the
            stream itself yields images only (pretraining needs no labels).
        image_size: None, int or `(height, width)`. The size every image is resized to
            (bilinear); None: the first readable file's size.
        color_mode: `"grayscale"`, `"rgb"` (the default) or `"rgba"`: 1, 3 or 4 channels.
        workers: None or int >= 1. Files decoded at once (None: as many as `tf.data`'s autotuner
            finds best, bounded by the CPU cores).
        strict: bool. Raise at the first unreadable file instead of leaving it out.
        root: None or str. The folder `files` are named relative to in messages.

    Example:
    ```python
    files, _, _ = ssl_zoo.data.list_image_folder("photos/")
    stream = ssl_zoo.data.ImageStream(files, image_size=96)
    model.fit(stream.dataset(batch_size=256), steps_per_epoch=stream.steps_per_epoch(256),
              epochs=10, shuffle=False)  # the stream shuffles
    ```
    """

    def __init__(self, files, labels=None, image_size=None, color_mode="rgb", workers=None,
                 strict=False, root=None):
        image_folder.check_color_mode(color_mode)
        image_folder.check_workers(workers)
        size = image_folder.parse_image_size(image_size)
        self.files = list(files)
        if not self.files:
            raise ValueError(f"An ImageStream needs at least one image file{_in(root)}. Received: files=[]")
        if labels is not None and len(labels) != len(self.files):
            raise ValueError(
                f"`labels` must have one label per file ({len(self.files)}). Received: {len(labels)} labels"
            )
        self.labels = labels
        self.color_mode, self.workers, self.strict, self.root = color_mode, workers, strict, root
        first = _first_readable(self.files, color_mode, root)
        self.image_shape = (*(size or first.shape[:2]), first.shape[2])
        self.failure = None
        self._skipped = {}  # unreadable files met so far, in the order met (a set that keeps order)
        self._warned = 0
        self._readable_in_pass = 0

    @property
    def skipped(self):
        """The unreadable files met so far, each once, in the order met."""
        return list(self._skipped)

    def __len__(self):
        return len(self.files)

    def take(self, count):
        """A stream of the first `count` files (and labels), with the same settings and size."""
        labels = None if self.labels is None else self.labels[:count]
        return ImageStream(self.files[:count], labels, self.image_shape[:2], self.color_mode,
                           self.workers, self.strict, self.root)

    def read(self, count=None):
        """`(images, labels)` of the first `count` files (None: all) read into memory, as
        `load_image_folder` reads them; unreadable files are left out of both."""
        files = self.files[:count]
        if not files:
            return np.zeros((0, *self.image_shape), np.uint8), None if self.labels is None else self.labels[:0]
        images, kept = image_folder.read_images(
            files, self.image_shape[:2], self.color_mode, self.workers, self.strict, self.root
        )
        return np.stack(images), None if self.labels is None else self.labels[:count][kept]

    def steps_per_epoch(self, batch_size):
        """Whole batches of `batch_size` in one pass over the files (at least one)."""
        steps = len(self.files) // batch_size
        if steps == 0:
            raise ValueError(
                f"{len(self.files)} image files make no whole batch of batch_size={batch_size}: "
                "lower the batch size."
            )
        return steps

    def dataset(self, batch_size, seed=0, shuffle=True, shard_index=0, shard_count=1):
        """An endless `tf.data.Dataset` of uint8 batches `(batch_size, *image_shape)`.

        Pass `steps_per_epoch=steps_per_epoch(...)` to `fit`: the passes follow one another
        without a pause and batches never run short, so every process of a data-parallel run
        takes the same number of steps even when files are skipped.

        Args:
            batch_size: int. Images per batch (per process under data parallelism).
            seed: int. Seed of the shuffle; every pass draws a new order from it.
            shuffle: bool. False keeps the files' order (one pass after another).
            shard_index, shard_count: ints. This process takes every `shard_count`-th file of
                each pass's order, from the `shard_index`-th; processes with the same `seed`
                draw the same order, so their shards are disjoint and cover the files.
        """
        tf = _tensorflow_for_input()
        if not 0 <= shard_index < shard_count:
            raise ValueError(
                f"`shard_index` must be in [0, shard_count={shard_count}). Received: shard_index={shard_index}"
            )
        names = tf.data.Dataset.from_tensor_slices(self.files)
        if shuffle:
            names = names.shuffle(len(self.files), seed=seed, reshuffle_each_iteration=True)
        names = names.shard(shard_count, shard_index)
        # An empty name closes each pass: the count of skipped files is complete there.
        names = names.concatenate(tf.data.Dataset.from_tensors(tf.constant(""))).repeat()
        # Files are decoded _CHUNK to a call: one call per file would cost more than the decoding.
        chunks = names.batch(_CHUNK).map(self._decode_tensor, num_parallel_calls=self.workers or tf.data.AUTOTUNE,
                                         deterministic=True)
        # Counted in order, one chunk after the other (a map without parallel calls).
        chunks = chunks.map(self._count_tensor)
        images = chunks.unbatch().filter(_second).map(_first).batch(batch_size, drop_remainder=True)
        options = tf.data.Options()
        if self.workers:
            options.threading.private_threadpool_size = self.workers
        return images.prefetch(tf.data.AUTOTUNE).with_options(options)

    def _decode_tensor(self, names):
        import tensorflow as tf

        images, ok = tf.numpy_function(self._decode, [names], (tf.uint8, tf.bool), stateful=False)
        images.set_shape((None, *self.image_shape))
        ok.set_shape((None,))
        return images, ok, names

    def _decode(self, names):
        """`(images, ok)` of a chunk of names: zeros and False for the end of a pass (an empty
        name) and for an unreadable file."""
        images = np.zeros((len(names), *self.image_shape), np.uint8)
        ok = np.zeros(len(names), bool)
        for i, name in enumerate(names):
            if not name:
                continue
            try:
                images[i] = image_folder.read_image(name.decode(), self.color_mode, self.image_shape[:2])
                ok[i] = True
            except ValueError as error:
                if self.strict:
                    self.failure = error
                    raise
        return images, ok

    def _count_tensor(self, images, ok, names):
        import tensorflow as tf

        ok = tf.numpy_function(self._count, [ok, names], tf.bool, stateful=True)
        ok.set_shape((None,))
        return images, ok

    def _count(self, ok, names):
        """Note a chunk's unreadable files; at a pass's end, warn of new ones; `ok` as it is.

        Runs on the chunks in order, on one thread.
        """
        for readable, name in zip(ok, names):
            if readable:
                self._readable_in_pass += 1
            elif name:
                self._skipped.setdefault(name.decode())
            else:
                self._end_pass()
        return ok

    def _end_pass(self):
        readable, self._readable_in_pass = self._readable_in_pass, 0
        if not readable:  # only possible in a shard: the stream holds a readable file
            self.failure = ValueError(
                f"No readable images in a pass over this shard{_in(self.root)}: all its files "
                f"failed, e.g. {self.skipped[0]}"
            )
            raise self.failure
        if len(self._skipped) > self._warned:
            self._warned = len(self._skipped)
            warnings.warn(image_folder.skipped_message(self.root, self.skipped, len(self.files)),
                          image_folder.SkippedImagesWarning, stacklevel=2)


def _first(image, ok):
    return image


def _second(image, ok):
    return ok


def _tensorflow_for_input():
    """TensorFlow, kept off the GPUs unless it is the backend: under JAX or PyTorch, `tf.data`
    only reads files, and TensorFlow would otherwise reserve every GPU's memory."""
    import keras
    import tensorflow as tf

    if keras.config.backend() != "tensorflow":
        try:
            tf.config.set_visible_devices([], "GPU")
        except RuntimeError:  # TensorFlow's devices were set up already: leave them
            pass
    return tf


def _in(root):
    return f" in {root}" if root else ""


def _first_readable(files, color_mode, root):
    """The first file that reads, as an array; a `ValueError` naming the first failure if none does."""
    first_error = None
    for name in files:
        try:
            return image_folder.read_image(name, color_mode, None)
        except ValueError as error:
            first_error = first_error or error
    raise ValueError(f"No readable images{_in(root)}: all {len(files)} image files failed, e.g. {first_error}")
