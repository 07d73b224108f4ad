"""`ssl-zoo presets`: the built-in presets."""


def register(subparsers):
    parser = subparsers.add_parser("presets", help="list the built-in presets")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.set_defaults(func=run)


def run(args):
    import ssl_zoo
    from ssl_zoo.cli.output import print_result

    rows = ssl_zoo.presets()
    if args.json:
        print_result(rows, True)
        return 0
    # One line per preset: the measured metrics as columns, the description left to --json.
    table = [
        {"name": row["name"], "method": row.get("method", ""), "data": row.get("data", ""),
         **row.get("metrics", {"status": row.get("status", "")})}
        for row in rows
    ]
    print_result(table, False)
    return 0
