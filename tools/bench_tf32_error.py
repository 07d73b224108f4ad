"""How far TF32 products move NT-Xent and its gradient, emulated in NumPy on any machine.

    python tools/bench_tf32_error.py [--n 2048] [--d 128] [--json]

A TF32 tensor-core product rounds both float32 inputs to 10 explicit mantissa bits (round to
nearest, ties away, as Triton's `cvt.rna.tf32.f32`) and accumulates in float32. Here the
products of the GPU kernels' algorithm (`S = v v^T`, then `H v` in the backward) take rounded
inputs and accumulate in float64; everything else is float64. Printed: the loss's absolute
and relative error, and the gradient's largest absolute error beside its largest entry, against the same
computation with exact products (float32 `v` and `H` in both, so only the TF32 rounding
differs), for random projections and for views that are noisy copies of each other (as after
some training), at temperatures 0.05 to 5.
"""

import argparse
import json

import numpy as np
from scipy.special import logsumexp

TEMPERATURES = (0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0)


def tf32(x):
    """float32 `x` rounded to TF32 (10 explicit mantissa bits, nearest, ties away)."""
    bits = np.asarray(x, np.float32).view(np.uint32)
    return ((bits + np.uint32(0x1000)) & np.uint32(0xFFFFE000)).view(np.float32).astype(np.float64)


def loss_and_grad(z, n, temperature, rounding):
    """NT-Xent of `z` (2N, D) and its gradient, products' inputs passed through `rounding`."""
    m = z.shape[0]
    norms = np.linalg.norm(z, axis=1, keepdims=True)
    u = z / norms
    v = (np.sqrt(1.0 / temperature) * u).astype(np.float32)  # what the kernels read
    rv = rounding(v)
    s = rv @ rv.T
    np.fill_diagonal(s, -np.inf)
    lse = logsumexp(s, axis=1)
    pos = (np.arange(m) + n) % m
    v64 = v.astype(np.float64)
    loss = np.mean(lse - np.sum(v64 * v64[pos], axis=1))
    p = np.exp(s - lse[:, None])
    h = ((p + p.T) / m).astype(np.float32)  # the backward kernel's tile, float32
    d_v = rounding(h) @ rv - 2.0 * v64[pos] / m
    d_u = np.sqrt(1.0 / temperature) * d_v
    d_z = (d_u - np.sum(d_u * u, axis=1, keepdims=True) * u) / norms
    return loss, d_z


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2048)
    parser.add_argument("--d", type=int, default=128)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    rng = np.random.default_rng(0)
    z_a = rng.normal(size=(args.n, args.d)).astype(np.float32)
    inputs = {
        "random": np.concatenate([z_a, rng.normal(size=z_a.shape).astype(np.float32)]),
        "noisy copies": np.concatenate([z_a, z_a + 0.3 * rng.normal(size=z_a.shape).astype(np.float32)]),
    }
    rows = []
    for name, z in inputs.items():
        for temperature in TEMPERATURES:
            exact, g_exact = loss_and_grad(z.astype(np.float64), args.n, temperature, lambda x: x.astype(np.float64))
            value, g = loss_and_grad(z.astype(np.float64), args.n, temperature, tf32)
            rows.append({
                "inputs": name, "n": args.n, "d": args.d, "temperature": temperature,
                "loss": exact, "loss_error": abs(value - exact), "loss_rel_error": abs(value - exact) / abs(exact),
                "grad_max": float(np.abs(g_exact).max()), "grad_error": float(np.abs(g - g_exact).max()),
                "grad_rel_error": float(np.abs(g - g_exact).max() / np.abs(g_exact).max()),
            })
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    print(f"{'inputs':<13} {'T':>5} {'loss':>9} {'loss err':>9} {'rel':>9} {'max |grad|':>10} "
          f"{'grad err':>9} {'rel':>9}")
    for r in rows:
        print(f"{r['inputs']:<13} {r['temperature']:>5} {r['loss']:>9.4f} {r['loss_error']:>9.2e} "
              f"{r['loss_rel_error']:>9.2e} {r['grad_max']:>10.2e} {r['grad_error']:>9.2e} {r['grad_rel_error']:>9.2e}")
    print(f"worst: loss {max(r['loss_error'] for r in rows):.2e} absolute, "
          f"gradient {max(r['grad_error'] for r in rows):.2e} absolute")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
