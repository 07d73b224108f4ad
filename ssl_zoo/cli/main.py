"""`ssl-zoo`: pretrain, evaluate and benchmark from the shell."""

import argparse
import os
import signal
import sys

from ssl_zoo.cli import bench
from ssl_zoo.cli import evaluate
from ssl_zoo.cli import presets
from ssl_zoo.cli import pretrain
from ssl_zoo.cli import report

_COMMANDS = (presets, pretrain, evaluate, report, bench)


def build_parser():
    parser = argparse.ArgumentParser(
        prog="ssl-zoo",
        description="Self-supervised pretraining and evaluation on TensorFlow, JAX or PyTorch.",
        epilog="The backend is $KERAS_BACKEND unless --backend is given.",
    )
    parser.add_argument(
        "--backend", choices=("jax", "tensorflow", "torch"), help="Keras backend to run on"
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for command in _COMMANDS:
        command.register(subparsers)
    return parser


def main(argv=None):
    """Run the CLI; returns the exit code (0 ok, 1 failed, 2 bad usage, 128 + N on signal N)."""
    args = build_parser().parse_args(argv)
    if args.backend:
        os.environ["KERAS_BACKEND"] = args.backend
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")  # C++ errors that matter raise in Python
    _show_own_warnings_as_lines(args.command)
    try:
        return args.func(args) or 0
    except (ValueError, OSError) as error:
        print(f"ssl-zoo {args.command}: error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt as error:
        signum = getattr(error, "signum", signal.SIGINT)
        print(f"ssl-zoo {args.command}: interrupted by {signal.Signals(signum).name}; "
              "no preset or report was written", file=sys.stderr)
        return 128 + signum


def _show_own_warnings_as_lines(command):
    """ssl_zoo's own warnings (`SkippedImagesWarning`) as `ssl-zoo CMD: warning: ...` lines,
    without the file and line Python prints; other warnings as Python shows them."""
    import warnings

    default = warnings.showwarning

    def show(message, category, filename, lineno, file=None, line=None):
        if category.__module__.startswith("ssl_zoo."):
            print(f"ssl-zoo {command}: warning: {message}", file=sys.stderr)
        else:
            default(message, category, filename, lineno, file, line)

    warnings.showwarning = show


if __name__ == "__main__":
    raise SystemExit(main())
