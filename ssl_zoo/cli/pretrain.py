"""`ssl-zoo pretrain`: train a self-supervised model and write a preset folder.

The methods, their options and defaults come from the registry (`ssl_zoo.methods`).
"""

import argparse
import os

from ssl_zoo import data
from ssl_zoo import files
from ssl_zoo import methods
from ssl_zoo import preset_catalog
from ssl_zoo.methods import option_types
from ssl_zoo.cli import distribution
from ssl_zoo.cli import evaluate
from ssl_zoo.cli import frameworks
from ssl_zoo.cli import output

_MONITOR_REFERENCES, _MONITOR_QUERIES = 5000, 2000  # labeled examples the kNN monitor compares


def _image_data(args, model):
    """`(x_train, y_train), (x_test, y_test), image_shape` of an image `--data`.

    A folder is streamed: `x_train` is an `ImageStream` (`y_train` its labels, if any) and the
    test split is read into memory up to the kNN monitor's 2,000 queries. It is read in
    `model`'s channel count and size when training further, else in `--color-mode` and at
    `--image-size`, by `--workers` threads. A named archive is read into memory.
    """
    from ssl_zoo.models.image_inputs import image_shape_of

    if model is None:
        color_mode, image_size = args.color_mode, args.image_size
    else:
        color_mode, image_size = evaluate.color_mode_of(model), tuple(model.input.shape[1:3])
    if args.data not in data.IMAGE_DATA_NAMES and os.path.isdir(args.data):
        train, test, _ = data.open_image_folder(
            args.data, image_size=image_size, color_mode=color_mode, workers=args.workers,
            strict=args.strict,
        )
        train = train.take(args.limit or len(train))
        x_test, y_test = (train.read(0)[0], None) if test is None else test.read(_MONITOR_QUERIES)
        return (train, train.labels), (x_test, y_test), train.image_shape
    if args.data in data.IMAGE_DATA_NAMES and model is not None:
        image_size = None  # a named archive has one size: the model must take it
    (x_train, y_train), (x_test, y_test), _ = data.load_images(
        args.data, image_size=image_size, color_mode=color_mode, workers=args.workers,
        strict=args.strict,
    )
    x_train, y_train = x_train[: args.limit], None if y_train is None else y_train[: args.limit]
    return (x_train, y_train), (x_test, y_test), image_shape_of(x_train)


def _in_memory(x, y, count):
    """The first `count` examples `(x, y)` as arrays, read from disk if `x` is an `ImageStream`."""
    if isinstance(x, data.ImageStream):
        return x.read(count)
    return x[:count], None if y is None else y[:count]


def _text_data(args, model):
    """`(x_train, y_train), (x_test, y_test), None` of a text `--data`."""
    (x_train, y_train), (x_test, y_test), _ = data.load_texts(args.data)
    y_train = None if y_train is None else y_train[: args.limit]
    return (x_train[: args.limit], y_train), (x_test, y_test), None


# modality -> (loader of --data, what --data may name)
_DATA = {
    "images": (_image_data, f"{', '.join(data.IMAGE_DATA_NAMES)}, or a folder of images (labeled by class "
               "sub-folders, if any)"),
    "texts": (_text_data, "wordnet, synthetic, or a folder of .txt files (optionally in class sub-folders)"),
}


def _method_options():
    """`{option name: (Option, [names of the methods taking it])}` over the registry.

    Methods may share an option (every image method takes `--color-mode`); they must
    declare it alike but for its help.
    """
    options = {}
    for method in methods.registered().values():
        for option in method.options:
            first, takers = options.setdefault(option.name, (option, []))
            if (first.argparse_kwargs(), first.default) != (option.argparse_kwargs(), option.default):
                raise ValueError(
                    f"Method {method.name!r} declares {option.flag} unlike method {takers[0]!r} "
                    "(type, choices or default): methods that share an option declare it alike."
                )
            takers.append(method.name)
    return options


def _build(args, process_index):
    """`(task, (x_train, y_train), x_test, monitor, fit kwargs)` for `args.method`.

    `monitor` is the kNN monitor's `(x_ref, y_ref, x_query, y_query)`: `--monitor-data`, or
    the labeled training and test splits of `--data`.

    The task is new, or the one saved in `--init-preset` to train further.
    """
    method = methods.get(args.method)
    load_data = _DATA[method.modality][0]
    model = None
    if args.init_preset:
        overrides = {
            option.name: getattr(args, option.name) for option in method.options
            if option.overrides_preset and getattr(args, option.name) is not None
        }
        if method.reseeds_preset:
            overrides["seed"] = args.seed + process_index  # processes draw different views
        model = method.task_class().from_preset(args.init_preset, **overrides)
        print(f"Training further from preset {args.init_preset}")
    (x_train, y_train), (x_test, y_test), image_shape = load_data(args, model)
    if model is None:
        settings = argparse.Namespace(
            **vars(args), process_index=process_index, x_train=x_train, image_shape=image_shape
        )
        model = method.build(settings)
    held_out = x_test[: method.validation_examples]
    fit_kwargs = {"validation_data": held_out} if len(held_out) else {}
    monitor = (x_train, y_train, x_test, y_test)
    if args.monitor_data is not None:
        monitor = _monitor_data(args, model, load_data, image_shape)
    return model, (x_train, y_train), x_test, monitor, fit_kwargs


def _monitor_data(args, model, load_data, image_shape):
    """`(x_ref, y_ref, x_query, y_query)` of `--monitor-data`: its training split is the kNN
    reference, its test split the queries."""
    monitor_args = argparse.Namespace(**{**vars(args), "data": args.monitor_data, "limit": None})
    (x_ref, y_ref), (x_query, y_query), _ = load_data(monitor_args, model)
    if y_ref is None or not len(x_query):
        raise ValueError(
            f"--monitor-data must be labeled data with a test split (a data set name, or a "
            f"folder of class sub-folders). Received: --monitor-data {args.monitor_data}, "
            "which has no labels."
        )
    x_ref, y_ref = _in_memory(x_ref, y_ref, _MONITOR_REFERENCES)  # read only once it is needed
    if image_shape is not None and x_ref.shape[1:] != image_shape:
        raise ValueError(
            f"--monitor-data images must have the training images' shape {image_shape}. "
            f"Received: --monitor-data {args.monitor_data} with images {x_ref.shape[1:]}."
        )
    return x_ref, y_ref, x_query, y_query


def register(subparsers):
    parser = subparsers.add_parser(
        "pretrain",
        help="pretrain a model on unlabeled data and save it as a preset folder",
        description="Pretrain METHOD on DATA and write a keras-hub preset folder to --out.",
    )
    registry = methods.registered()
    parser.add_argument(
        "method", choices=tuple(registry), metavar="METHOD",
        help="self-supervised method: " + "; ".join(f"{m.name}: {m.description}" for m in registry.values()),
    )
    by_modality = {}
    for method in registry.values():
        by_modality.setdefault(method.modality, []).append(method.name)
    parser.add_argument(
        "--data", required=True,
        help="; ".join(f"{', '.join(names)}: {_DATA[modality][1]}" for modality, names in by_modality.items()),
    )
    parser.add_argument(
        "--out", required=True, metavar="DIR",
        help="preset folder to write: a new folder, or a preset folder to replace (atomically)",
    )
    parser.add_argument("--backbone", help="backbone size (default: the method's)")
    parser.add_argument("--epochs", type=option_types.positive_int, default=1,
                        help="passes over the data (default: %(default)s)")
    parser.add_argument("--batch-size", type=option_types.positive_int, default=256,
                        help="examples per step (default: %(default)s)")
    parser.add_argument("--limit", type=option_types.positive_int, metavar="K",
                        help="use only the first K training examples")
    parser.add_argument("--steps-per-epoch", type=option_types.positive_int, metavar="N",
                        help="optimizer steps per epoch (default: one pass over the data)")
    parser.add_argument("--learning-rate", type=option_types.positive_float, metavar="LR",
                        help="learning rate of the method's optimizer, the start of --schedule "
                        "cosine (default: the method's)")
    parser.add_argument("--weight-decay", type=option_types.non_negative_float, metavar="WD",
                        help="decoupled weight decay of the method's optimizer (default: the method's)")
    parser.add_argument("--seed", type=option_types.non_negative_int, default=0, help="random seed (default: %(default)s)")
    parser.add_argument(
        "--knn-every", type=option_types.non_negative_int, default=1, metavar="E",
        help="report kNN accuracy on held-out labeled data every E epochs; 0 turns it off (default: %(default)s)",
    )
    parser.add_argument(
        "--strict", action="store_true",
        help="stop at the first image file of a folder that cannot be read (default: leave "
        "such files out, with one warning that counts them)",
    )
    parser.add_argument(
        "--monitor-data", metavar="DATA",
        help="labeled data for the kNN monitor, in DATA's forms (default: the labeled test split "
        "of --data; unlabeled --data has no monitor without it)",
    )
    for option, takers in _method_options().values():
        default = "" if option.default is None else f" (default: {option.default})"
        parser.add_argument(option.flag, help=f"{', '.join(takers)}: {option.help}{default}",
                            **option.argparse_kwargs())
    parser.add_argument(
        "--init-preset", metavar="PRESET",
        help="train further from this preset of METHOD (a built-in name or a folder) instead of "
        "a new model; its architecture, vocabulary and settings are kept",
    )
    parser.add_argument(
        "--schedule", choices=("constant", "cosine"), default="constant",
        help="learning rate over the epochs: the method's default throughout, or a cosine "
        "decay from it to zero (default: %(default)s)",
    )
    parser.add_argument(
        "--checkpoint-dir", metavar="DIR",
        help="back up the training state here after every epoch; a rerun with the same DIR "
        "resumes where an interrupted run stopped (the backups are removed when training completes)",
    )
    distribution.add_arguments(parser)
    parser.set_defaults(func=run)


def run(args):
    """Train and write `--out`; a signal stops training within a step and writes nothing."""
    _check(args)
    frameworks.load()
    from ssl_zoo import callbacks

    parallel = distribution.start(args)  # first: engines fix their devices when they start
    with parallel, callbacks.stop_on_signals() as stop:
        model, x_test = _train(args, parallel, stop)
    if parallel.is_chief:
        distribution.restore_float32_policy(model)
        model.save_to_preset(args.out)
        print(f"Saved preset to {args.out}")
        after_training = methods.get(args.method).after_training
        if after_training is not None:
            after_training(model, args, x_test)
    return 0


def _train(args, parallel, stop):
    """Build, compile and fit the method's task on this process's share; `(task, x_test)`."""
    import keras

    from ssl_zoo import callbacks as ssl_callbacks

    if parallel.num_replicas > 1 and not methods.get(args.method).data_parallel:
        runs = ", ".join(m.name for m in methods.registered().values() if m.data_parallel)
        raise ValueError(
            f"Data-parallel pretraining runs {runs}. Received: pretrain {args.method} on "
            f"{parallel.num_replicas} replicas; drop --devices (or torchrun) for {args.method}."
        )
    keras.utils.set_random_seed(args.seed)
    model, (x_train, y_train), x_test, monitor, fit_kwargs = _build(args, parallel.process_index)
    model.compile(learning_rate=args.learning_rate, weight_decay=args.weight_decay)
    parallel.prepare(model)
    # The signal check first: an epoch cut short is never backed up as a whole one.
    callbacks = [stop, ssl_callbacks.StopOnNonFiniteLoss(), *_schedule_callbacks(args, model)]
    if parallel.is_chief:
        callbacks += _knn_monitor(args, *monitor)
    if parallel.is_chief:
        print(f"Pretraining {args.method} ({model.backbone.count_params():,} backbone parameters) "
              f"on {len(x_train):,} examples from {args.data}, backend {keras.config.backend()}, "
              f"{parallel.num_replicas} replica(s), {args.dtype_policy}")
    if isinstance(x_train, data.ImageStream):
        x_local, fit_kwargs["steps_per_epoch"] = parallel.shard_stream(x_train, args.batch_size, args.seed)
        batch_size, fit_kwargs["shuffle"] = None, False  # the stream batches and shuffles
    else:
        x_local, batch_size = parallel.shard(x_train, args.batch_size)
    if args.steps_per_epoch is not None:
        fit_kwargs["steps_per_epoch"] = args.steps_per_epoch
    try:
        model.fit(x_local, batch_size=batch_size, epochs=args.epochs, callbacks=callbacks,
                  verbose=output.progress_verbosity() if parallel.is_chief else 0, **fit_kwargs)
    except Exception:
        # tf.data hands a stream's error (an unreadable file under --strict) on in its own type.
        if getattr(x_train, "failure", None) is not None:
            raise x_train.failure from None
        raise
    return model, x_test


def _check_not_builtin(out):
    """Refuse `--out NAME` for a built-in preset's NAME: `evaluate NAME` would mean the built-in."""
    if preset_catalog.is_builtin_preset(out):
        raise ValueError(
            f"--out {out!r} is the name of a built-in preset, which `evaluate {out}` would load "
            f"instead. Name the folder ./{out} to write it anyway, or choose another name."
        )


def _check(args):
    """Refuse options that do not fit together and output paths that cannot be written.

    Runs before anything heavy is imported or trained; values are checked by argparse.
    """
    method = methods.get(args.method)
    own = {option.name for option in method.options}
    if args.init_preset and args.backbone is not None:
        _refuse_with_preset(args, "backbone")
    for option, takers in _method_options().values():
        value = getattr(args, option.name)
        if value is None:
            continue
        if option.name not in own:
            shown = " ".join(map(str, value)) if isinstance(value, list) else value  # nargs="+"
            raise ValueError(
                f"{option.flag} applies to {', '.join(takers)} only. "
                f"Received: pretrain {args.method} {option.flag} {shown}"
            )
        if args.init_preset and option.shapes_model:
            _refuse_with_preset(args, option.name)
        if option.output_file:
            files.check_file(value, option.flag)
    files.check_preset_dir(args.out, "--out")
    _check_not_builtin(args.out)
    if args.checkpoint_dir is not None:
        files.check_folder(args.checkpoint_dir, "--checkpoint-dir")
    if not args.init_preset:
        for option in method.options:
            if getattr(args, option.name) is None:
                setattr(args, option.name, option.default)
    size = getattr(args, "image_size", None)
    if size is not None:
        if len(size) > 2:
            raise ValueError(
                f"--image-size takes PX (square) or H W. Received: --image-size {' '.join(map(str, size))}"
            )
        args.image_size = size[0] if len(size) == 1 else tuple(size)


def _refuse_with_preset(args, name):
    flag = "--" + name.replace("_", "-")
    raise ValueError(
        f"{flag} shapes a new model; a model from --init-preset keeps its own. "
        f"Received: --init-preset {args.init_preset} {flag} {getattr(args, name)}"
    )


def _schedule_callbacks(args, model):
    """Callbacks for `--schedule` and `--checkpoint-dir`.

    The backup callback comes first so a resumed run restores the weights before any other
    callback runs.
    """
    import math

    import keras

    from ssl_zoo import callbacks as ssl_callbacks

    callbacks = []
    if args.checkpoint_dir:
        callbacks.append(ssl_callbacks.TrainingCheckpoint(args.checkpoint_dir))
    if args.schedule == "cosine":
        initial = float(keras.ops.convert_to_numpy(model.optimizer.learning_rate))

        def cosine(epoch, learning_rate):
            return initial * 0.5 * (1.0 + math.cos(math.pi * epoch / args.epochs))

        callbacks.append(keras.callbacks.LearningRateScheduler(cosine))
    return callbacks


def _knn_monitor(args, x_train, y_train, x_test, y_test):
    """A `KNNMonitor` on up to 5,000 labeled training and 2,000 test examples, if asked for
    (the training examples read from disk when `x_train` is a stream)."""
    from ssl_zoo import evaluation

    if not args.knn_every:
        return []
    if y_train is None or not len(x_test):
        print(f"No kNN monitor: --data {args.data} is unlabeled (--monitor-data DATA gives one)")
        return []
    x_ref, y_ref = _in_memory(x_train, y_train, _MONITOR_REFERENCES)
    x_query, y_query = x_test[:_MONITOR_QUERIES], y_test[:_MONITOR_QUERIES]
    try:
        evaluation.check_probe_labels(y_ref, y_query)
    except ValueError as error:
        print(f"No kNN monitor: {error}")
        return []
    return [evaluation.KNNMonitor(x_ref, y_ref, x_query, y_query, every=args.knn_every)]
