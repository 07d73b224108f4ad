"""Cross-replica ops under `tf.distribute` (MirroredStrategy, MultiWorkerMirroredStrategy)."""

import tensorflow as tf


def _replica_context():
    """The replica context of a strategy with several replicas, else None."""
    context = tf.distribute.get_replica_context()
    if context is None or context.num_replicas_in_sync == 1:
        return None
    return context


def gather_replicas(x):
    """All-gather along axis 0. TF's gradient of `ReplicaContext.all_gather` is the adjoint:
    an all-reduce (sum) of the incoming gradients, sliced to this replica's rows."""
    context = _replica_context()
    if context is None:
        return x
    gathered = context.all_gather(x, axis=0)
    # Inside Keras' distributed step the gathered shape is all None ((4, 8) -> (None, None)):
    # keep the static trailing dimensions, which kernels read (info_nce's empty bank, (0, D)).
    gathered.set_shape((None,) + tuple(x.shape[1:]))
    return gathered


def replica_loss(loss):
    """`loss / K`: Keras's TF trainer sums replica gradients and multiplies the tracked
    loss by `K` (`keras.losses.Loss` scales the same way)."""
    context = _replica_context()
    return loss if context is None else loss / context.num_replicas_in_sync


def global_batch_size(batch_size):
    return batch_size  # fit's batch is split over the replicas
