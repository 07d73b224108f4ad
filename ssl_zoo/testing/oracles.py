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


def multi_crop_nt_xent_numpy(z, num_crops, temperature):
    """Multi-crop NT-Xent (SwAV's authors' multi-crop SimCLR) and its gradient in float64.

    Rows `c B + i` are crop `c` of image `i`; for each anchor `a` and each other crop `p` of
    its image, `log(exp(s_ap) + sum_{n of other images} exp(s_an)) - s_ap`, averaged over
    the `C B (C - 1)` pairs, with `s = u u^T / temperature` of the unit rows `u`.

    Returns:
        (loss, d_z)
    """
    z = np.asarray(z, np.float64)
    m = len(z)
    image = np.arange(m) % (m // num_crops)
    norms = np.linalg.norm(z, axis=1, keepdims=True)
    u = z / norms
    s = u @ u.T / temperature
    same = image[:, None] == image[None, :]
    positive = same & ~np.eye(m, dtype=bool)
    exp_s = np.exp(s)
    negatives = np.where(same, 0.0, exp_s).sum(axis=1)  # (m,)
    pairs = m * (num_crops - 1)
    loss = sum(np.log(exp_s[a, p] + negatives[a]) - s[a, p] for a, p in zip(*np.nonzero(positive))) / pairs
    # dL/ds_ap = (sigma_ap - 1) / pairs for a positive; for a negative n of anchor a,
    # dL/ds_an = sum_p exp(s_an) / (exp(s_ap) + negatives_a) / pairs.
    g = np.zeros((m, m))
    for a, p in zip(*np.nonzero(positive)):
        denominator = exp_s[a, p] + negatives[a]
        g[a, p] += exp_s[a, p] / denominator - 1.0
        g[a, ~same[a]] += exp_s[a, ~same[a]] / denominator
    g /= pairs
    d_u = (g + g.T) @ u / temperature
    d_z = (d_u - np.sum(d_u * u, axis=1, keepdims=True) * u) / norms
    return loss, d_z


def info_nce_numpy(queries, keys, negatives, temperature, batch_negatives=True):
    """InfoNCE and its gradients in float64, straight from the definition.

    Every row is L2-normalized; logits_ij = u_q_i . c_j / T over the columns
    c = [u_k_1 .. u_k_N, u_n_1 .. u_n_K]; loss = mean_i (logsumexp_j logits_ij - logits_ii).
    `negatives` may be None. `batch_negatives=False` (MoCo v1/v2) takes the batch's other keys
    out of each softmax: logits_ij = -inf for key columns j != i.

    Returns:
        (loss, d_queries, d_keys, d_negatives, d_temperature); d_negatives is (0, D) for None.
    """
    q, k = np.asarray(queries, np.float64), np.asarray(keys, np.float64)
    n_bank = np.zeros((0, q.shape[1])) if negatives is None else np.asarray(negatives, np.float64)
    rows = [q, k, n_bank]
    norms = [np.linalg.norm(x, axis=1, keepdims=True) for x in rows]
    u_q, u_k, u_n = (x / r for x, r in zip(rows, norms))
    columns = np.concatenate([u_k, u_n])  # (N + K, D)
    n = len(q)
    cosines = u_q @ columns.T  # (N, N + K)
    logits = cosines / temperature
    if not batch_negatives:
        logits[:, :n][~np.eye(n, dtype=bool)] = -np.inf
    lse = logsumexp(logits, axis=1)
    loss = np.mean(lse - logits[np.arange(n), np.arange(n)])

    g = np.exp(logits - lse[:, None])  # softmax per query; 0 where logits_ij = -inf
    g[np.arange(n), np.arange(n)] -= 1.0
    g /= n  # dL/dlogits
    d_uq = g @ columns / temperature
    d_columns = g.T @ u_q / temperature
    d_u = [d_uq, d_columns[:n], d_columns[n:]]
    d_x = [(d - np.sum(d * u, axis=1, keepdims=True) * u) / r for d, u, r in zip(d_u, (u_q, u_k, u_n), norms)]
    d_temperature = -np.sum(g * cosines) / temperature**2  # logits = cosines / T
    return loss, d_x[0], d_x[1], d_x[2], d_temperature


def cosine_regression_numpy(p, z):
    """`cos(p_i, z_i)` per row and its gradient with respect to `p`, in float64 (`z` held fixed).

    d cos / d p = (z^ - cos p^) / |p|, with `x^ = x / |x|`.

    Returns:
        (cos (B,), d_cos_d_p (B, D))
    """
    p, z = np.asarray(p, np.float64), np.asarray(z, np.float64)
    p_norm = np.linalg.norm(p, axis=1, keepdims=True)
    p_hat, z_hat = p / p_norm, z / np.linalg.norm(z, axis=1, keepdims=True)
    cos = np.sum(p_hat * z_hat, axis=1)
    return cos, (z_hat - cos[:, None] * p_hat) / p_norm


def byol_loss_numpy(p_a, p_b, z_a, z_b, p_local=()):
    """BYOL's loss (Grill et al. 2020, Sec. 3.1) and its gradients in float64.

    loss = mean_i (2 - 2 cos(p_a_i, z_b_i)) + mean_i (2 - 2 cos(p_b_i, z_a_i)); the targets
    `z` are under a stop-gradient, so their gradients are zero. Multi-crop adds, for each
    local crop's prediction `p_c`, mean_i (2 - 2 cos(p_c_i, z_a_i)) + mean_i (2 - 2 cos(p_c_i, z_b_i)).

    Returns:
        (loss, d_p_a, d_p_b, *d_p_local)
    """
    n = len(p_a)
    pairs = [(p_a, z_b), (p_b, z_a)] + [(p, z) for p in p_local for z in (z_a, z_b)]
    cosines, gradients = zip(*(cosine_regression_numpy(p, z) for p, z in pairs))
    loss = sum(np.mean(2 - 2 * cos) for cos in cosines)
    d_p = [-2 * d / n for d in gradients]
    d_local = [d_p[2 + 2 * c] + d_p[3 + 2 * c] for c in range(len(p_local))]
    return (loss, d_p[0], d_p[1], *d_local)


def simsiam_loss_numpy(p_a, p_b, z_a, z_b):
    """SimSiam's loss (Chen & He 2021, Sec. 3) and its gradients in float64.

    loss = -1/2 mean_i cos(p_a_i, z_b_i) - 1/2 mean_i cos(p_b_i, z_a_i); the projections `z`
    are under a stop-gradient, so their gradients are zero.

    Returns:
        (loss, d_p_a, d_p_b)
    """
    n = len(p_a)
    cos_a, d_a = cosine_regression_numpy(p_a, z_b)
    cos_b, d_b = cosine_regression_numpy(p_b, z_a)
    loss = -0.5 * np.mean(cos_a) - 0.5 * np.mean(cos_b)
    return loss, -0.5 * d_a / n, -0.5 * d_b / n


def mocov2_loss_numpy(queries, keys, queue, temperature):
    """MoCo's loss as the official code builds it (facebookresearch/moco `builder.py`), and
    its gradient with respect to the queries, in float64.

    q, k and the queue's rows n_j L2-normalized; logits = [q . k, q . n_1 .. q . n_K] / T;
    loss = cross-entropy with label 0, averaged over the batch. Keys and queue are under a
    stop-gradient.

    Returns:
        (loss, d_queries)
    """
    rows = [np.asarray(x, np.float64) for x in (queries, keys, queue)]
    norms = [np.linalg.norm(x, axis=1, keepdims=True) for x in rows]
    u_q, u_k, u_n = (x / r for x, r in zip(rows, norms))
    logits = np.concatenate([np.sum(u_q * u_k, axis=1, keepdims=True), u_q @ u_n.T], axis=1) / temperature
    lse = logsumexp(logits, axis=1)
    loss = np.mean(lse - logits[:, 0])
    g = np.exp(logits - lse[:, None])
    g[:, 0] -= 1.0
    g /= len(u_q)  # dL/dlogits
    d_uq = (g[:, :1] * u_k + g[:, 1:] @ u_n) / temperature
    return loss, (d_uq - np.sum(d_uq * u_q, axis=1, keepdims=True) * u_q) / norms[0]


def mocov3_loss_numpy(q_a, q_b, k_a, k_b, temperature):
    """MoCo v3's loss (Chen, Xie & He 2021, Alg. 1) and its gradients in float64.

    loss = ctr(q_a, k_b) + ctr(q_b, k_a), ctr(q, k) = 2T mean_i CE(q^_i . k^_j / T, label i):
    InfoNCE without negatives times 2T. The keys are under a stop-gradient, so their
    gradients are zero.

    Returns:
        (loss, d_q_a, d_q_b)
    """
    scale = 2 * temperature
    loss_a, d_q_a = info_nce_numpy(q_a, k_b, None, temperature)[:2]
    loss_b, d_q_b = info_nce_numpy(q_b, k_a, None, temperature)[:2]
    return scale * (loss_a + loss_b), scale * d_q_a, scale * d_q_b


def barlow_twins_loss_numpy(z_a, z_b, redundancy_weight, loss_scale=1.0, epsilon=1e-5):
    """Barlow Twins' loss (Zbontar et al. 2021, Eq. 1, Alg. 1) and its gradients in float64.

    z~ = (z - mean) / sqrt(var + epsilon) per dimension (biased variance); C = z~_a^T z~_b / N;
    loss = loss_scale (sum_i (1 - C_ii)^2 + redundancy_weight sum_{i != j} C_ij^2).

    Returns:
        (loss, d_z_a, d_z_b)
    """
    z_a, z_b = np.asarray(z_a, np.float64), np.asarray(z_b, np.float64)
    n, d = z_a.shape
    off = ~np.eye(d, dtype=bool)

    def standardize(z):
        centered = z - z.mean(axis=0)
        std = np.sqrt(np.mean(centered**2, axis=0) + epsilon)
        return centered / std, std

    def standardize_backward(d_out, standardized, std):  # batch normalization's backward
        return (d_out - d_out.mean(axis=0) - standardized * np.mean(d_out * standardized, axis=0)) / std

    (a, std_a), (b, std_b) = standardize(z_a), standardize(z_b)
    c = a.T @ b / n
    loss = np.sum((np.diag(c) - 1) ** 2) + redundancy_weight * np.sum(c[off] ** 2)
    d_c = np.where(off, 2 * redundancy_weight * c, 0.0) + np.diag(2 * (np.diag(c) - 1))
    d_a = standardize_backward(b @ d_c.T / n, a, std_a)
    d_b = standardize_backward(a @ d_c / n, b, std_b)
    return loss_scale * loss, loss_scale * d_a, loss_scale * d_b


def vicreg_loss_numpy(z_a, z_b, invariance_weight=25.0, variance_weight=25.0, covariance_weight=1.0,
                      epsilon=1e-4):
    """VICReg's loss as facebookresearch/vicreg `main_vicreg.py` computes it (Bardes et al.
    2022, Eq. 1 - 6), and its gradients in float64.

    s = mean((z_a - z_b)^2); per view v = mean_j relu(1 - sqrt(var_j + epsilon)) / 2 (unbiased
    variance) and c = sum_{i != j} Cov_ij^2 / D, Cov = z_c^T z_c / (N - 1);
    loss = invariance_weight s + variance_weight (v_a + v_b) + covariance_weight (c_a + c_b).

    Returns:
        (loss, d_z_a, d_z_b)
    """
    z_a, z_b = np.asarray(z_a, np.float64), np.asarray(z_b, np.float64)
    n, d = z_a.shape
    off = ~np.eye(d, dtype=bool)

    def variance_and_covariance(z):  # (v, c, dv/dz, dc/dz); centering's Jacobian drops out
        centered = z - z.mean(axis=0)
        std = np.sqrt(np.sum(centered**2, axis=0) / (n - 1) + epsilon)
        below = std < 1
        hinge = np.mean(np.where(below, 1 - std, 0.0)) / 2
        d_hinge = np.where(below, -centered / (2 * d * std * (n - 1)), 0.0)
        cov = centered.T @ centered / (n - 1)
        d_cov = np.where(off, 2 * cov / d, 0.0)  # symmetric
        return hinge, np.sum(cov[off] ** 2) / d, d_hinge, 2 * centered @ d_cov / (n - 1)

    v_a, c_a, d_v_a, d_c_a = variance_and_covariance(z_a)
    v_b, c_b, d_v_b, d_c_b = variance_and_covariance(z_b)
    d_invariance = 2 * (z_a - z_b) / (n * d)
    loss = (invariance_weight * np.mean((z_a - z_b) ** 2) + variance_weight * (v_a + v_b)
            + covariance_weight * (c_a + c_b))
    d_a = invariance_weight * d_invariance + variance_weight * d_v_a + covariance_weight * d_c_a
    d_b = -invariance_weight * d_invariance + variance_weight * d_v_b + covariance_weight * d_c_b
    return loss, d_a, d_b


def dino_loss_numpy(student, teacher, center, student_temperature, teacher_temperature):
    """DINO's loss (Caron et al. 2021, Alg. 1, the official `DINOLoss`) and its gradient in float64.

    P_t = softmax((t - c) / tau_t) per global view i in {0, 1}; log P_s = log_softmax(s / tau_s)
    per crop v; loss = mean over the pairs (i, v != i) of mean_n -sum_k P_t log P_s, written
    as loops over the pairs.

    Returns:
        (loss, d_student); the teacher's gradient is zero (stop-gradient).
    """
    student, teacher = np.asarray(student, np.float64), np.asarray(teacher, np.float64)
    n = teacher.shape[0] // 2
    views = student.shape[0] // n
    crops = student.reshape(views, n, -1) / student_temperature
    log_p_s = crops - logsumexp(crops, axis=-1, keepdims=True)
    t = (teacher.reshape(2, n, -1) - np.asarray(center, np.float64)) / teacher_temperature
    p_t = np.exp(t - logsumexp(t, axis=-1, keepdims=True))
    pairs = [(i, v) for i in range(2) for v in range(views) if v != i]
    loss = np.mean([np.mean(-np.sum(p_t[i] * log_p_s[v], axis=-1)) for i, v in pairs])
    d_crops = np.zeros_like(log_p_s)
    for i, v in pairs:  # d/ds of -sum_k P_t log softmax(s / tau_s) = (softmax(s / tau_s) - P_t) / tau_s
        d_crops[v] += (np.exp(log_p_s[v]) - p_t[i]) / (student_temperature * n * len(pairs))
    return loss, d_crops.reshape(student.shape)


def dino_teacher_temperature_numpy(epoch, warmup_temperature, temperature, warmup_epochs):
    """The official schedule: `np.linspace(warmup, final, warmup_epochs)` then `final`, by epoch."""
    schedule = np.concatenate([np.linspace(warmup_temperature, temperature, warmup_epochs),
                               np.full(epoch + 1, temperature)])
    return schedule[epoch]
