"""`ssl-zoo evaluate`: probe a pretrained representation with labels."""

from ssl_zoo import data
from ssl_zoo.methods import option_types
from ssl_zoo.cli import frameworks

PROTOCOLS = ("linear", "knn", "finetune")


def register(subparsers):
    parser = subparsers.add_parser(
        "evaluate",
        help="measure a preset's representation: linear probe, kNN or fine-tuning",
        description="Report test accuracy on DATA of a linear probe or kNN on the frozen "
        "features of PRESET_OR_DIR, or of a classifier fine-tuned from it (finetune).",
    )
    parser.add_argument("preset", metavar="PRESET_OR_DIR", help="built-in preset name or preset folder")
    parser.add_argument(
        "--data", required=True,
        help=f"image presets: {', '.join(data.IMAGE_DATA_NAMES)}, or a folder of images in class "
        "sub-folders; "
        "text presets: wordnet, synthetic, or a folder of .txt files in class sub-folders",
    )
    parser.add_argument("--protocol", choices=PROTOCOLS, default="linear", help="(default: %(default)s)")
    parser.add_argument(
        "--labels", type=option_types.fraction, default=1.0, metavar="FRACTION",
        help="fraction of training labels used, class-balanced (default: %(default)s)",
    )
    parser.add_argument("--seed", type=option_types.non_negative_int, default=0, help="seed of the label subset (default: %(default)s)")
    add_min_steps_argument(parser)
    add_color_mode_argument(parser)
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.set_defaults(func=run)


def add_color_mode_argument(parser):
    parser.add_argument(
        "--color-mode", choices=("grayscale", "rgb", "rgba"),
        help="channels a folder of images is read in; the preset's stem is adapted to them "
        "(default: the preset's own)",
    )


def add_min_steps_argument(parser):
    parser.add_argument(
        "--min-steps", type=option_types.positive_int, default=500, metavar="N",
        help="finetune: fewest optimizer steps per training run, at least 3 epochs (default: %(default)s)",
    )


def color_mode_of(model):
    """The `color_mode` of `ssl_zoo.data.load_images` that gives an image `model` its channels."""
    return {1: "grayscale", 3: "rgb", 4: "rgba"}[model.input.shape[-1]]


def load_data_for(model, data_name, color_mode=None):
    """`(train, test, label_names)` of `data_name` in `model`'s modality: texts, or images in
    `color_mode` (None: the model's channel count, so a folder of RGB images is read in gray
    for a gray model)."""
    if model.modality == "texts":
        if color_mode is not None:
            raise ValueError(f"--color-mode applies to image presets. Received: --color-mode {color_mode} for a text preset")
        return data.load_texts(data_name)
    return data.load_images(data_name, color_mode=color_mode or color_mode_of(model))


def check_labels(data_name, y_train, y_test):
    """Refuse `--data` without labels, or with labels no probe can be fitted or tested on."""
    from ssl_zoo import evaluation

    if y_train is None:
        raise ValueError(f"--data {data_name} has no labels: evaluation needs one sub-folder per class.")
    evaluation.check_probe_labels(
        y_train, y_test, (f"the training labels of --data {data_name}", f"the test labels of --data {data_name}")
    )


def run(args):
    import numpy as np

    frameworks.load()
    from ssl_zoo import evaluation
    from ssl_zoo import models
    from ssl_zoo.cli import output
    from ssl_zoo.models.image_inputs import image_shape_of

    model = models.load_task(args.preset)
    (x_train, y_train), (x_test, y_test), _ = load_data_for(model, args.data, args.color_mode)
    image_shape = image_shape_of(x_train)
    if image_shape is not None and image_shape != tuple(model.input.shape[1:]):
        model = models.load_task(args.preset, image_shape=image_shape)  # the stem adapted
    check_labels(args.data, y_train, y_test)
    verbose = 0 if args.json else output.progress_verbosity()
    if args.protocol == "finetune":
        accuracy = evaluation.fine_tune(
            args.preset, x_train, y_train, x_test, y_test, args.labels, seed=args.seed,
            min_steps=args.min_steps, verbose=verbose,
        )
        return _report(args, accuracy)
    f_train = evaluation.extract_features(model, x_train, verbose=verbose)
    f_test = evaluation.extract_features(model, x_test, verbose=verbose)
    if args.protocol == "linear":
        accuracy = evaluation.linear_probe(f_train, y_train, f_test, y_test, args.labels, args.seed)
    else:
        subset = evaluation.label_subset(y_train, args.labels, args.seed)
        predicted = evaluation.knn_classify(f_train[subset], y_train[subset], f_test)
        accuracy = float(np.mean(predicted == y_test))
    return _report(args, accuracy)


def _report(args, accuracy):
    from ssl_zoo.cli.output import print_result

    print_result(
        [{"preset": args.preset, "data": args.data, "protocol": args.protocol,
          "labels": args.labels, "test_accuracy": accuracy}],
        args.json,
    )
    return 0
