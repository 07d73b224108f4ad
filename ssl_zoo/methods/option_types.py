"""Argument types that refuse a bad value while parsing, before anything heavy is imported.

argparse reports a refused value as `argument --epochs: must be an integer >= 1. Received: '0'`
and exits with code 2, naming the flag.
"""

import argparse
import math


def _number(parse, kind, low, inclusive, high=None):
    if high is None:
        bound = f">= {low}" if inclusive else f"> {low}"
    else:
        bound = f"in [{low}, {high}]" if inclusive else f"in ({low}, {high}]"

    def convert(text):
        try:
            value = parse(text)
        except ValueError:
            value = None
        if (
            value is None or not math.isfinite(value) or value < low or (value == low and not inclusive)
            or (high is not None and value > high)
        ):
            raise argparse.ArgumentTypeError(f"must be {kind} {bound}. Received: {text!r}")
        return value

    convert.__name__ = f"{kind} {bound}"
    return convert


def integer_at_least(low):
    """An argparse type: an integer >= `low`."""
    return _number(int, "an integer", low, inclusive=True)


positive_int = integer_at_least(1)
non_negative_int = integer_at_least(0)
positive_float = _number(float, "a finite number", 0, inclusive=False)
non_negative_float = _number(float, "a finite number", 0, inclusive=True)
fraction = _number(float, "a fraction", 0, inclusive=False, high=1)
probability = _number(float, "a number", 0, inclusive=True, high=1)
