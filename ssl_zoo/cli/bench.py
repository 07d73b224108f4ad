"""`ssl-zoo bench nt-xent` and `ssl-zoo bench info-nce`: the fused kernels against their
references and the matmul roofline.

`--device gpu` adds the backend's GPU kernel (Pallas on JAX, Triton on PyTorch) beside its
framework tiles (XLA on JAX and TensorFlow, the PyTorch tile loop), the reference and the
roofline (cuBLAS through the framework's matmul), at the matmul precision `--precision`.
"""

import importlib.util
import json
import os
import subprocess
import sys

DEFAULT_N = (1024, 4096, 8192, 16384, 32768, 65536)
GPU_DEFAULT_N = (4096, 8192, 16384, 32768, 65536, 131072, 262144)
REFERENCE_LIMIT_BYTES = 8 * 2**30  # the reference holds a few (2N, 2N) float32 matrices
GPU_KERNELS = {"jax": "pallas", "torch": "triton"}
INFO_NCE_N = (4096,)
INFO_NCE_K = 65536
# PyTorch's tile loop launches (2N / 512)^2 / 2 tiles from Python: past this N on a GPU it
# measures the interpreter, not the kernel.
TORCH_TILES_GPU_LIMIT = 16384


def register(subparsers):
    parser = subparsers.add_parser(
        "bench",
        help="benchmarks",
        description="Benchmarks that print the figure, a baseline from the same run, and the ratio.",
    )
    benches = parser.add_subparsers(dest="bench", metavar="BENCH", required=True)
    nt_xent = benches.add_parser(
        "nt-xent",
        help="fused NT-Xent vs reference vs roofline, forward+backward",
        description=(
            "Median forward+backward time and peak extra memory of the fused NT-Xent kernel "
            "and the keras.ops reference (where its (2N, 2N) matrices fit), beside the "
            "roofline: twice one full Z @ Z.T (Z is 2N x D) in row blocks of 1024, measured "
            "in the same run. Each case runs in its own process. MiB: what the step holds at "
            "peak beyond its inputs, counted by the framework's allocator (JAX, TensorFlow) or "
            "the resident high-water mark (torch); RSS MiB: the resident high-water mark of the "
            "first run, which includes TensorFlow's one-time XLA compilation."
        ),
    )
    nt_xent.add_argument("--n", type=int, nargs="+", metavar="N",
                         help=f"batch sizes N (default: {list(DEFAULT_N)}; with --device gpu "
                              f"{list(GPU_DEFAULT_N)})")
    nt_xent.add_argument("--d", type=int, default=128, help="projection width D (default: %(default)s)")
    nt_xent.add_argument("--backend", choices=("jax", "tensorflow", "torch"),
                         help="Keras backend (default: $KERAS_BACKEND)")
    nt_xent.add_argument("--device", choices=("cpu", "gpu"), default="cpu",
                         help="where the cases run (default: %(default)s); gpu adds the "
                              "backend's GPU kernel and needs a GPU the backend sees")
    nt_xent.add_argument("--precision", choices=("highest", "tf32"),
                         help="matmul precision of the kernels and the roofline (default: "
                              "$SSL_ZOO_MATMUL_PRECISION or highest)")
    nt_xent.add_argument("--repeats", type=int, default=5, help="timed runs per case (default: %(default)s)")
    nt_xent.add_argument("--json", action="store_true", help="print JSON instead of a table")
    nt_xent.set_defaults(func=run)
    info_nce = benches.add_parser(
        "info-nce",
        help="fused InfoNCE vs reference vs roofline, forward+backward",
        description=(
            "Median forward+backward time and peak extra memory of the fused InfoNCE kernel "
            "(N queries against their N keys and K negatives) and the keras.ops reference "
            "(where its (N, N + K) logits fit), beside the roofline: four full "
            "Q @ [keys; negatives].T in blocks of 1024 x 2048, the products a forward+backward "
            "that recomputes the logits needs, measured in the same run. Each case runs in its "
            "own process; MiB as for nt-xent (gradients included: the bank's is K x D)."
        ),
    )
    info_nce.add_argument("--n", type=int, nargs="+", metavar="N",
                          help=f"queries (and keys) N (default: {list(INFO_NCE_N)})")
    info_nce.add_argument("--k", type=int, default=INFO_NCE_K,
                          help="negatives in the bank K (default: %(default)s)")
    info_nce.add_argument("--d", type=int, default=128, help="width D (default: %(default)s)")
    info_nce.add_argument("--backend", choices=("jax", "tensorflow", "torch"),
                          help="Keras backend (default: $KERAS_BACKEND)")
    info_nce.add_argument("--precision", choices=("highest", "tf32"),
                          help="matmul precision of the kernel and the roofline (default: "
                               "$SSL_ZOO_MATMUL_PRECISION or highest)")
    info_nce.add_argument("--repeats", type=int, default=5, help="timed runs per case (default: %(default)s)")
    info_nce.add_argument("--json", action="store_true", help="print JSON instead of a table")
    info_nce.set_defaults(func=run_info_nce, device="cpu")


def run(args):
    backend = args.backend or os.environ.get("KERAS_BACKEND", "tensorflow")
    n_values = args.n or list(GPU_DEFAULT_N if args.device == "gpu" else DEFAULT_N)
    if min(n_values) < 1 or args.d < 1 or args.repeats < 1:
        raise ValueError(f"--n, --d and --repeats must be >= 1. Received: n={n_values}, d={args.d}, repeats={args.repeats}")
    rows = []
    for n in n_values:
        row = {"backend": backend, "device": args.device, "n": n, "d": args.d}
        fits = 4 * (2 * n) ** 2 * 4 <= REFERENCE_LIMIT_BYTES
        cases = ["roofline", "fused"]
        if args.device == "gpu":
            if backend == "torch" and n > TORCH_TILES_GPU_LIMIT:
                cases.remove("fused")
            if backend in GPU_KERNELS:
                cases.insert(1, GPU_KERNELS[backend])
        if fits:
            cases.append("reference")
        if backend == "torch" and importlib.util.find_spec("lightly") and fits:
            cases.append("lightly")
        for case in cases:
            result = _run_case(backend, case, n, args)
            row[f"{case}_s"] = result["median_s"]
            if case != "roofline":
                row[f"{case}_mib"] = result["peak_extra_mib"]
                row[f"{case}_rss_mib"] = result["rss_extra_mib"]
        for case in ("fused", *GPU_KERNELS.values()):
            if f"{case}_s" in row:
                row[f"{case}_over_roofline"] = row[f"{case}_s"] / row["roofline_s"]
                if "reference_s" in row:
                    row[f"{case}_over_reference"] = row[f"{case}_s"] / row["reference_s"]
        rows.append(row)
        if not args.json:
            (_print_gpu_row if args.device == "gpu" else _print_row)(row, header=len(rows) == 1)
    if args.json:
        print(json.dumps(rows, indent=2))
    return 0


def run_info_nce(args):
    backend = args.backend or os.environ.get("KERAS_BACKEND", "tensorflow")
    n_values = args.n or list(INFO_NCE_N)
    if min(n_values) < 1 or args.k < 0 or args.d < 1 or args.repeats < 1:
        raise ValueError(
            "--n, --d and --repeats must be >= 1 and --k >= 0. "
            f"Received: n={n_values}, k={args.k}, d={args.d}, repeats={args.repeats}"
        )
    rows = []
    for n in n_values:
        row = {"backend": backend, "n": n, "k": args.k, "d": args.d}
        # the reference holds the (N, N + K) logits, their softmax and gradient
        fits = 4 * n * (n + args.k) * 4 <= REFERENCE_LIMIT_BYTES
        for case in ["roofline", "fused"] + (["reference"] if fits else []):
            result = _run_case(backend, case, n, args, "info-nce", args.k)
            row[f"{case}_s"] = result["median_s"]
            if case != "roofline":
                row[f"{case}_mib"] = result["peak_extra_mib"]
                row[f"{case}_rss_mib"] = result["rss_extra_mib"]
        row["fused_over_roofline"] = row["fused_s"] / row["roofline_s"]
        if "reference_s" in row:
            row["fused_over_reference"] = row["fused_s"] / row["reference_s"]
        rows.append(row)
        if not args.json:
            _print_row(row, header=len(rows) == 1, k=args.k)
    if args.json:
        print(json.dumps(rows, indent=2))
    return 0


def _run_case(backend, case, n, args, *op):
    """One `bench_case` process: its JSON line. `op`: nothing for NT-Xent, ("info-nce", K)."""
    env = dict(os.environ, KERAS_BACKEND=backend, TF_CPP_MIN_LOG_LEVEL="3")
    if args.precision:
        env["SSL_ZOO_MATMUL_PRECISION"] = args.precision
    result = subprocess.run(
        [sys.executable, "-m", "ssl_zoo.cli.bench_case", case, str(n), str(args.d), str(args.repeats),
         args.device, *map(str, op)],
        env=env, capture_output=True, text=True,
    )
    if result.returncode != 0:
        raise ValueError(f"benchmark case {case} N={n} failed:\n{result.stderr[-2000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def _print_row(row, header, k=None):
    """One line per N; with `k`, the InfoNCE table (N queries, K negatives)."""
    if header:
        print(f"{'backend':<10} {'N':>6} " + ("" if k is None else f"{'K':>7} ") +
              f"{'roofline s':>10} {'fused s':>9} {'fused MiB':>9} "
              f"{'(RSS)':>7} {'ref s':>8} {'ref MiB':>8} {'fused/roof':>10} {'fused/ref':>9}")
    ref_s = f"{row['reference_s']:.3f}" if "reference_s" in row else "-"
    ref_mib = f"{row['reference_mib']:.0f}" if "reference_mib" in row else "-"
    ratio_ref = f"{row['fused_over_reference']:.2f}" if "fused_over_reference" in row else "-"
    print(f"{row['backend']:<10} {row['n']:>6} " + ("" if k is None else f"{k:>7} ") +
          f"{row['roofline_s']:>10.3f} {row['fused_s']:>9.3f} "
          f"{row['fused_mib']:>9.0f} {row['fused_rss_mib']:>7.0f} {ref_s:>8} {ref_mib:>8} {row['fused_over_roofline']:>10.2f} {ratio_ref:>9}",
          flush=True)
    if "lightly_s" in row:
        print(f"{'':<10} {'':>6} lightly NTXentLoss: {row['lightly_s']:.3f} s, {row['lightly_mib']:.0f} MiB")


def _print_gpu_row(row, header):
    """One line per N: seconds, MiB held at peak and the ratio to the roofline of the GPU
    kernel (Pallas or Triton; none on TensorFlow), the framework's tiles and the reference."""
    if header:
        print(f"{'backend':<10} {'N':>6} {'roofline s':>10}  " + "  ".join(
            f"{name + ' s':>11} {'MiB':>7} {'/roof':>6}" for name in ("gpu kernel", "fused", "reference")))
    cells = []
    for case in (GPU_KERNELS.get(row["backend"]), "fused", "reference"):
        if case and f"{case}_s" in row:
            ratio = row[f"{case}_s"] / row["roofline_s"]
            cells.append(f"{row[f'{case}_s']:>11.4f} {row[f'{case}_mib']:>7.0f} {ratio:>6.2f}")
        else:
            cells.append(f"{'-':>11} {'-':>7} {'-':>6}")
    print(f"{row['backend']:<10} {row['n']:>6} {row['roofline_s']:>10.4f}  " + "  ".join(cells), flush=True)
