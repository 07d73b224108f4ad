"""`ssl-zoo bench nt-xent`: fused NT-Xent against the reference and the matmul roofline."""

import importlib.util
import json
import os
import subprocess
import sys

DEFAULT_N = (1024, 4096, 8192, 16384, 32768, 65536)
REFERENCE_LIMIT_BYTES = 8 * 2**30  # the reference holds a few (2N, 2N) float32 matrices


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
    nt_xent.add_argument("--n", type=int, nargs="+", default=list(DEFAULT_N), metavar="N",
                         help="batch sizes N (default: %(default)s)")
    nt_xent.add_argument("--d", type=int, default=128, help="projection width D (default: %(default)s)")
    nt_xent.add_argument("--backend", choices=("jax", "tensorflow", "torch"),
                         help="Keras backend (default: $KERAS_BACKEND)")
    nt_xent.add_argument("--repeats", type=int, default=5, help="timed runs per case (default: %(default)s)")
    nt_xent.add_argument("--json", action="store_true", help="print JSON instead of a table")
    nt_xent.set_defaults(func=run)


def run(args):
    backend = args.backend or os.environ.get("KERAS_BACKEND", "tensorflow")
    if min(args.n) < 1 or args.d < 1 or args.repeats < 1:
        raise ValueError(f"--n, --d and --repeats must be >= 1. Received: n={args.n}, d={args.d}, repeats={args.repeats}")
    rows = []
    for n in args.n:
        row = {"backend": backend, "n": n, "d": args.d}
        cases = ["roofline", "fused"]
        if 4 * (2 * n) ** 2 * 4 <= REFERENCE_LIMIT_BYTES:
            cases.append("reference")
        if backend == "torch" and importlib.util.find_spec("lightly") and 4 * (2 * n) ** 2 * 4 <= REFERENCE_LIMIT_BYTES:
            cases.append("lightly")
        for case in cases:
            result = _run_case(backend, case, n, args.d, args.repeats)
            row[f"{case}_s"] = result["median_s"]
            if case != "roofline":
                row[f"{case}_mib"] = result["peak_extra_mib"]
                row[f"{case}_rss_mib"] = result["rss_extra_mib"]
        row["fused_over_roofline"] = row["fused_s"] / row["roofline_s"]
        if "reference_s" in row:
            row["fused_over_reference"] = row["fused_s"] / row["reference_s"]
        rows.append(row)
        if not args.json:
            _print_row(row, header=len(rows) == 1)
    if args.json:
        print(json.dumps(rows, indent=2))
    return 0


def _run_case(backend, case, n, d, repeats):
    env = dict(os.environ, KERAS_BACKEND=backend, TF_CPP_MIN_LOG_LEVEL="3")
    result = subprocess.run(
        [sys.executable, "-m", "ssl_zoo.cli.bench_case", case, str(n), str(d), str(repeats)],
        env=env, capture_output=True, text=True,
    )
    if result.returncode != 0:
        raise ValueError(f"benchmark case {case} N={n} failed:\n{result.stderr[-2000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def _print_row(row, header):
    if header:
        print(f"{'backend':<10} {'N':>6} {'roofline s':>10} {'fused s':>9} {'fused MiB':>9} "
              f"{'(RSS)':>7} {'ref s':>8} {'ref MiB':>8} {'fused/roof':>10} {'fused/ref':>9}")
    ref_s = f"{row['reference_s']:.3f}" if "reference_s" in row else "-"
    ref_mib = f"{row['reference_mib']:.0f}" if "reference_mib" in row else "-"
    ratio_ref = f"{row['fused_over_reference']:.2f}" if "fused_over_reference" in row else "-"
    print(f"{row['backend']:<10} {row['n']:>6} {row['roofline_s']:>10.3f} {row['fused_s']:>9.3f} "
          f"{row['fused_mib']:>9.0f} {row['fused_rss_mib']:>7.0f} {ref_s:>8} {ref_mib:>8} {row['fused_over_roofline']:>10.2f} {ratio_ref:>9}",
          flush=True)
    if "lightly_s" in row:
        print(f"{'':<10} {'':>6} lightly NTXentLoss: {row['lightly_s']:.3f} s, {row['lightly_mib']:.0f} MiB")
