"""Float64 NumPy transcriptions of the definitions, used as test oracles."""

import numpy as np
from scipy.special import logsumexp


def nt_xent_numpy(z_a, z_b, temperature):
    """NT-Xent and its gradients in float64, straight from the definition.

    Returns:
        (loss, d_z_a, d_z_b, d_temperature)
    """
    z = np.concatenate([z_a, z_b]).astype(np.float64)  # (M, D), M = 2N
    m, n = z.shape[0], z_a.shape[0]
    norms = np.linalg.norm(z, axis=1, keepdims=True)
    u = z / norms
    s_scale = 1.0 / temperature
    s = s_scale * u @ u.T
    np.fill_diagonal(s, -np.inf)
    lse = logsumexp(s, axis=1)
    pos = (np.arange(m) + n) % m
    s_pos = s[np.arange(m), pos]
    loss = np.mean(lse - s_pos)

    p = np.exp(s - lse[:, None])  # softmax over j != i; P_ii = 0
    g = p.copy()
    g[np.arange(m), pos] -= 1.0
    g /= m  # dL/dS
    d_u = s_scale * (g + g.T) @ u
    d_z = (d_u - np.sum(d_u * u, axis=1, keepdims=True) * u) / norms
    s_full = s.copy()
    np.fill_diagonal(s_full, 0.0)
    d_scale = np.sum(g * s_full) / s_scale  # dL/ds, S linear in s
    d_temperature = -d_scale / temperature**2
    return loss, d_z[:n], d_z[n:], d_temperature
