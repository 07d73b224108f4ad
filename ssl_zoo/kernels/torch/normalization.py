"""Row normalization `u = z / |z|` and its backward in PyTorch, for the tiled kernels.

The same arithmetic as `ssl_zoo/kernels/normalization.py` (squared-norm floor `EPSILON`); the
backward works in place on `d_u`.
"""

import torch

from ssl_zoo.kernels.normalization import EPSILON


def normalize(z):
    """(u, sq): the rows of `z` (R, D) scaled to unit norm, and their squared norms (R, 1)."""
    sq = torch.sum(z * z, dim=1, keepdim=True)
    return z * torch.rsqrt(torch.clamp_min(sq, EPSILON)), sq


def backward_(d_u, u, sq):
    """(dL/dz, u . dL/du) from dL/du (R, D), which it overwrites with dL/dz."""
    u_dot = torch.sum(d_u * u, dim=1, keepdim=True)  # (R, 1)
    # u = z / |z| where |z|^2 > EPSILON; below it u = z / sqrt(EPSILON) is linear in z.
    radial = torch.where(sq > EPSILON, u_dot, torch.zeros_like(u_dot)) * u
    return d_u.sub_(radial).mul_(torch.rsqrt(torch.clamp_min(sq, EPSILON))), u_dot
