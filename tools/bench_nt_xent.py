"""Fused NT-Xent vs reference vs the matmul roofline; same as `ssl-zoo bench nt-xent`.

    python tools/bench_nt_xent.py --backend jax --n 1024 8192 [--json]
"""

import sys

from ssl_zoo.cli import main

if __name__ == "__main__":
    raise SystemExit(main.main(["bench", "nt-xent", *sys.argv[1:]]))
