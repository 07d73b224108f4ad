"""`ssl-zoo report label-efficiency`: a preset against training from scratch and raw inputs."""

import os

from ssl_zoo import data
from ssl_zoo import files
from ssl_zoo.methods import option_types
from ssl_zoo.cli import evaluate
from ssl_zoo.cli import frameworks
from ssl_zoo.cli import output

DEFAULT_FRACTIONS = (0.01, 0.1, 1.0)


def register(subparsers):
    parser = subparsers.add_parser(
        "report",
        help="write a label-efficiency table and plots for a preset",
        description="Measure test accuracy against the share of labels for PRESET (linear probe "
        "and fine-tuned), the same network trained from scratch and a logistic regression on the "
        "raw inputs, all in this run; write a table, a JSON file, the curve and an embedding plot.",
    )
    parser.add_argument("kind", choices=("label-efficiency",), help="report to write")
    parser.add_argument("preset", metavar="PRESET_OR_DIR", help="built-in preset name or preset folder")
    parser.add_argument("--data", required=True,
                        help=f"labeled data: {', '.join(data.IMAGE_DATA_NAMES)}, wordnet, or a folder "
                        "with class sub-folders")
    parser.add_argument("--labels", type=option_types.fraction, nargs="+", default=list(DEFAULT_FRACTIONS),
                        metavar="FRACTION", help="label fractions to measure (default: 0.01 0.1 1.0)")
    parser.add_argument("--out", help="folder for the report (default: report_<preset name>)")
    parser.add_argument("--embedding", choices=("pca", "tsne"), default="tsne",
                        help="2-D map of the test features (default: %(default)s)")
    parser.add_argument("--seed", type=option_types.non_negative_int, default=0,
                        help="seed of label subsets and training (default: %(default)s)")
    evaluate.add_min_steps_argument(parser)
    evaluate.add_color_mode_argument(parser)
    parser.add_argument("--json", action="store_true", help="print the table as JSON")
    parser.set_defaults(func=run)


def run(args):
    out = files.check_folder(args.out or f"report_{os.path.basename(os.path.normpath(args.preset))}", "--out")
    frameworks.load()
    from ssl_zoo import evaluation
    from ssl_zoo import models

    # Check the preset before loading data or training anything.
    model = models.load_task(args.preset, load_weights=False)
    (x_train, y_train), (x_test, y_test), label_names = evaluate.load_data_for(model, args.data, args.color_mode)
    evaluate.check_labels(args.data, y_train, y_test)
    log = None if args.json else print
    report = evaluation.label_efficiency(
        args.preset, x_train, y_train, x_test, y_test, tuple(args.labels), args.seed, log, args.min_steps,
        verbose=0 if args.json else output.progress_verbosity(),
    )
    write_report(report, out, label_names, y_test, args.embedding, args.json)
    return 0


def write_report(report, out, label_names, y_test, embedding, as_json):
    """Print the table; write it as Markdown and JSON, the curve and the embedding plot."""
    import json

    from ssl_zoo import evaluation
    from ssl_zoo.cli.output import print_result

    rows = [
        {"labels": f"{fraction:g}", **{name: round(values[i], 4) for name, values in report["accuracy"].items()}}
        for i, fraction in enumerate(report["fractions"])
    ]
    print_result(rows, as_json)
    table = _markdown(rows)
    summary = {key: report[key] for key in ("preset", "backend", "fractions", "accuracy")}
    files.write_file(os.path.join(out, "label_efficiency.md"), lambda f: f.write(table.encode()))
    files.write_file(os.path.join(out, "label_efficiency.json"),
                     lambda f: f.write(json.dumps(summary, indent=2).encode()))
    evaluation.plot_label_efficiency(report, os.path.join(out, "label_efficiency.png"))
    evaluation.plot_embedding(
        report["test_features"], y_test, os.path.join(out, "embedding.png"), label_names, method=embedding,
        title=f"{report['preset']}: test features ({embedding})",
    )
    if not as_json:
        print(f"Wrote {out}/label_efficiency.md, .json, .png and {out}/embedding.png")


def _markdown(rows):
    names = list(rows[0])
    lines = ["| " + " | ".join(names) + " |", "|" + "---|" * len(names)]
    for row in rows:
        cells = [row["labels"]] + [f"{row[name]:.1%}" for name in names[1:]]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"
