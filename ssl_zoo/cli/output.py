"""Tables and JSON for the CLI."""

import json
import sys


def print_result(rows, as_json):
    """Print a list of flat dicts as aligned columns, or as JSON."""
    if as_json:
        print(json.dumps(rows, indent=2))
        return
    if not rows:
        return
    columns = list(dict.fromkeys(key for row in rows for key in row))  # every key, first seen first
    cells = [[_format(row.get(c)) for c in columns] for row in rows]
    widths = [max(len(c), *(len(r[i]) for r in cells)) for i, c in enumerate(columns)]
    print("  ".join(c.ljust(w) for c, w in zip(columns, widths)))
    for r in cells:
        print("  ".join(v.ljust(w) for v, w in zip(r, widths)))


def progress_verbosity():
    """Keras `verbose` for long phases: a live bar on a terminal, one line per epoch in a file."""
    return 1 if sys.stdout.isatty() else 2


def _format(value):
    if isinstance(value, float):
        return f"{value:.4f}"
    return "" if value is None else str(value)
