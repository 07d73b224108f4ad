"""`ssl-zoo presets`: the built-in presets."""


def register(subparsers):
    parser = subparsers.add_parser("presets", help="list the built-in presets")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.set_defaults(func=run)


def run(args):
    from ssl_zoo.cli.output import print_result
    from ssl_zoo.models import preset_io

    rows = [
        {"name": name, **entry.get("metadata", {})}
        for name, entry in sorted(preset_io.builtin_presets().items())
    ]
    if not rows and not args.json:
        print("No built-in presets ship with this version; pretrain one with `ssl-zoo pretrain`.")
        return 0
    print_result(rows, args.json)
    return 0
