"""Cross-replica ops for data-parallel training; the identity on one device.

Data parallelism runs one copy of the training step per replica on its slice of the global
batch. Contrastive losses need every replica's projections as negatives, so the loss gathers
them (`gather_replicas`) and every replica computes the same global loss. How the replicas'
gradients are combined differs per engine; `replica_loss` hides it:

- JAX (`keras.distribution`): one GSPMD program sees the global batch. Both ops are the
  identity.
- TensorFlow (`tf.distribute`): Keras sums the replicas' gradients and reports the loss times
  the replica count, so each of `K` replicas returns `loss / K` (what Keras's own losses do).
- PyTorch (`torch.distributed`): `ssl_zoo.distribution.DataParallel` averages the replicas'
  gradients, as DDP does; each replica returns the mean of all replicas' losses (an all-reduce
  whose backward hands each replica's own loss a gradient of 1), so a loss computed on each
  replica's share is reported and differentiated as the global batch's.

In every case the gather's gradient is its adjoint: replica `r` receives the sum over all
replicas of the incoming gradient's rows that came from `r`. With these scalings one
distributed step equals one single-device step on the global batch.
"""

from ssl_zoo.distribution import backend


def gather_replicas(x):
    """Concatenate `x` from every data-parallel replica along axis 0, in replica order.

    Args:
        x: tensor `(n, ...)`, the same shape on every replica.

    Returns:
        Tensor `(n * K, ...)` for `K` replicas; `x` itself on one device and under JAX,
        whose jitted step already sees the global batch.

    Example:
    ```python
    z_a = ssl_zoo.distribution.gather_replicas(z_a)  # (N, D) -> (N * K, D)
    ```
    """
    return backend.module().gather_replicas(x)


def replica_loss(loss):
    """What this replica returns for a loss over the global batch, as the engine needs it.

    Args:
        loss: scalar tensor: over the gathered global batch (the same on every replica), or
            a mean over this replica's share of it (equal shares).

    Returns:
        `loss / K` under `tf.distribute` with `K` replicas; the mean of the `K` replicas'
        losses under `torch.distributed`; `loss` itself on one device and under JAX.
    """
    return backend.module().replica_loss(loss)


def global_batch_size(batch_size):
    """The global batch of a step whose `fit` on this process takes batches of `batch_size`.

    `batch_size` times the process count under `torch.distributed` (each process fits its
    own share); `batch_size` itself under JAX and `tf.distribute`, whose `fit` takes the
    global batch, and on one device.
    """
    return backend.module().global_batch_size(batch_size)
