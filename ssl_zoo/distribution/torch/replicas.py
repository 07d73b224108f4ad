"""Cross-replica ops under `torch.distributed` (one process per replica, as torchrun starts)."""

import torch
import torch.distributed as dist


def world_size():
    """Processes in the default group; 1 without an initialized process group."""
    return dist.get_world_size() if dist.is_available() and dist.is_initialized() else 1


class _AllGather(torch.autograd.Function):
    """All-gather along dim 0 whose backward is the adjoint: sum the incoming gradients over
    the replicas (every replica differentiates its own copy of the loss), keep own rows.

    `torch.distributed.nn.all_gather` emulates that reduce-scatter with all-to-all, which
    gloo lacks; an all-reduce and a slice work on every backend.
    """

    @staticmethod
    def forward(ctx, x):
        parts = [torch.empty_like(x) for _ in range(dist.get_world_size())]
        dist.all_gather(parts, x.contiguous())
        ctx.rows = x.shape[0]
        return torch.cat(parts)

    @staticmethod
    def backward(ctx, grad):
        grad = grad.contiguous().clone()
        dist.all_reduce(grad, op=dist.ReduceOp.SUM)
        start = dist.get_rank() * ctx.rows
        return grad[start : start + ctx.rows]


def gather_replicas(x):
    return x if world_size() == 1 else _AllGather.apply(x)


class _AllMean(torch.autograd.Function):
    """Mean of a tensor over the replicas whose backward is the adjoint: every replica
    differentiates its own copy of the mean, so each input receives the incoming gradients
    summed over the replicas, divided by their count."""

    @staticmethod
    def forward(ctx, x):
        total = x.detach().clone()
        dist.all_reduce(total, op=dist.ReduceOp.SUM)
        return total / dist.get_world_size()

    @staticmethod
    def backward(ctx, grad):
        grad = grad.contiguous().clone()
        dist.all_reduce(grad, op=dist.ReduceOp.SUM)
        return grad / dist.get_world_size()


def replica_loss(loss):
    """The mean of the replicas' losses, the global batch's loss (what the chief reports).

    Its gradient reaches each replica's own loss whole, and `DataParallel` averages the
    replicas' gradients as DDP does: a loss over the global batch (the same on every
    replica) and a mean over each replica's share give the global batch's gradient alike.
    """
    return loss if world_size() == 1 else _AllMean.apply(loss)


def global_batch_size(batch_size):
    return batch_size * world_size()
