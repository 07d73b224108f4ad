"""Cross-replica ops under JAX: the identity, because GSPMD compiles one global program.

Under `keras.distribution.DataParallel` the training step is jitted over arrays sharded on
the batch axis; inside it every op, the loss included, sees the global batch and XLA inserts
the collectives (an all-gather of the projections for the similarity matmuls, an all-reduce
of the gradients). Nothing is left to gather by hand.
"""


def gather_replicas(x):
    return x


def replica_loss(loss):
    return loss


def global_batch_size(batch_size):
    return batch_size
