"""Data-parallel training under PyTorch: one process per replica, started by `torchrun`.

Keras's torch trainer has no DDP wrapper, so this does DDP's two jobs on the Keras model
itself: it broadcasts rank 0's weights once, and averages the gradients over the processes
(one flat all-reduce) right before the optimizer applies them. Batch normalization uses the
global batch's statistics (a differentiable all-reduce of the per-channel sums), like SimCLR's
global BN and `torch.nn.SyncBatchNorm`.
"""

import contextlib
import functools
import os

import keras
import torch
import torch.distributed as dist

from ssl_zoo.distribution.torch.replicas import world_size


class Engine:
    """Joins the process group that `torchrun` describes in `WORLD_SIZE`, `RANK`, ...

    Args:
        devices: None or 1. PyTorch runs one replica per process: start `K` processes with
            `torchrun --nproc-per-node K` instead of asking one process for `K` devices.
    """

    def __init__(self, devices):
        if devices not in (None, 1):
            raise ValueError(
                f"--devices {devices} is for JAX and TensorFlow. PyTorch trains one replica "
                f"per process: torchrun --nproc-per-node {devices} -m ssl_zoo pretrain ..."
            )
        if int(os.environ.get("WORLD_SIZE", "1")) > 1 and not dist.is_initialized():
            if torch.cuda.is_available():
                torch.cuda.set_device(int(os.environ.get("LOCAL_RANK", "0")))
            dist.init_process_group("nccl" if torch.cuda.is_available() else "gloo")
            self._owns_group = True
        else:
            self._owns_group = False
        self.num_replicas = world_size()
        self.process_index = dist.get_rank() if self.num_replicas > 1 else 0
        self.process_count = self.num_replicas
        self._patched = []

    def scope(self):
        return contextlib.nullcontext()

    def prepare(self, model):
        """Start every replica from rank 0's weights; average gradients; global BN."""
        if self.num_replicas == 1:
            return
        with torch.no_grad():
            for variable in model.weights:
                dist.broadcast(variable.value.data, src=0)
        optimizer = model.optimizer
        optimizer.apply = functools.partial(_apply_averaged, optimizer.apply, self.num_replicas)
        self._patched.append((optimizer, "apply"))
        for layer in model._flatten_layers():
            if isinstance(layer, keras.layers.BatchNormalization):
                layer._moments = functools.partial(_global_moments, layer, layer._moments)
                self._patched.append((layer, "_moments"))

    def release(self):
        """Restore the patched methods and leave the process group if this engine joined it."""
        for owner, name in self._patched:
            delattr(owner, name)
        self._patched = []
        if self._owns_group:
            dist.barrier()
            dist.destroy_process_group()
            self._owns_group = False


def _apply_averaged(apply, num_replicas, gradients, trainable_variables=None):
    """`optimizer.apply` on the gradients averaged over the processes, as DDP averages."""
    gradients = [
        torch.zeros_like(v.value) if g is None else g
        for g, v in zip(gradients, trainable_variables)
    ]
    flat = torch.cat([g.reshape(-1) for g in gradients])  # one all-reduce, like a DDP bucket
    dist.all_reduce(flat, op=dist.ReduceOp.SUM)
    flat = flat / num_replicas
    sizes = [g.numel() for g in gradients]
    gradients = [p.view_as(g) for p, g in zip(torch.split(flat, sizes), gradients)]
    return apply(gradients, trainable_variables)


def _global_moments(layer, local_moments, inputs, mask):
    """Per-channel mean and variance over every replica's batch (SimCLR's global BN).

    The sums go through an all-reduce whose backward all-reduces the gradients (its adjoint),
    so that each replica's normalization gradient is complete.
    """
    if mask is not None:
        return local_moments(inputs, mask)
    x = inputs.float()
    axes = tuple(layer._reduction_axes)
    count = x.numel() / x.shape[layer.axis] * world_size()
    sums = _AllReduceSum.apply(torch.stack([x.sum(axes), (x * x).sum(axes)]))  # (2, C)
    mean = sums[0] / count
    return mean, torch.clamp_min(sums[1] / count - mean * mean, 0.0)


class _AllReduceSum(torch.autograd.Function):
    """Sum over the processes; the backward sums the incoming gradients the same way."""

    @staticmethod
    def forward(ctx, x):
        x = x.clone()
        dist.all_reduce(x, op=dist.ReduceOp.SUM)
        return x

    @staticmethod
    def backward(ctx, grad):
        grad = grad.clone()
        dist.all_reduce(grad, op=dist.ReduceOp.SUM)
        return grad
