"""`ssl-zoo pretrain`: train a self-supervised model and write a preset folder."""

from ssl_zoo import files
from ssl_zoo import preset_catalog
from ssl_zoo.cli import arguments
from ssl_zoo.cli import distribution
from ssl_zoo.cli import evaluate
from ssl_zoo.cli import frameworks
from ssl_zoo.cli import output

_IMAGE_METHODS = ("simclr", "rotnet", "autoencoder")
# ssl_zoo.models.autoencoder's VARIANTS, which importing would import Keras (tested equal).
AUTOENCODER_VARIANTS = ("plain", "denoising", "masked")
# Options of some methods only -> the methods they apply to.
_METHOD_OPTIONS = {
    "color_mode": _IMAGE_METHODS, "temperature": ("simclr",), "jitter_strength": ("simclr",),
    "variant": ("autoencoder",), "reconstructions": ("autoencoder",),
    "vocabulary_size": ("mlm",), "sequence_length": ("mlm",),
}


def _image_data(args, model):
    """`(x_train, y_train), (x_test, y_test), image_shape` of an image `--data`.

    A folder is read in `model`'s channel count when training further, else in `--color-mode`.
    """
    from ssl_zoo import data

    color_mode = args.color_mode if model is None else evaluate.color_mode_of(model)
    (x_train, y_train), (x_test, y_test), _ = data.load_images(args.data, color_mode=color_mode)
    x_train, y_train = x_train[: args.limit], y_train[: args.limit]
    image_shape = x_train.shape[1:] if x_train.ndim == 4 else (*x_train.shape[1:], 1)
    return (x_train, y_train), (x_test, y_test), tuple(image_shape)


def _text_data(args, model):
    """`(x_train, y_train), (x_test, y_test), None` of a text `--data`."""
    from ssl_zoo import data

    (x_train, y_train), (x_test, y_test), _ = data.load_texts(args.data)
    y_train = None if y_train is None else y_train[: args.limit]
    return (x_train[: args.limit], y_train), (x_test, y_test), None


def _simclr(args, process_index, x_train, image_shape):
    from ssl_zoo import backbones
    from ssl_zoo import models

    backbone = backbones.build_backbone(args.backbone or "resnet_tiny", image_shape)
    return models.SimCLR(
        backbone,
        temperature=args.temperature,
        jitter_strength=args.jitter_strength,
        seed=args.seed + process_index,
    )


def _rotnet(args, process_index, x_train, image_shape):
    from ssl_zoo import backbones
    from ssl_zoo import models

    side = min(image_shape[:2])  # RotNet center-crops to the backbone's square
    backbone = backbones.build_backbone(args.backbone or "resnet_tiny", (side, side, image_shape[2]))
    return models.RotNet(backbone, image_shape=image_shape)


def _autoencoder(args, process_index, x_train, image_shape):
    from ssl_zoo import backbones
    from ssl_zoo import models

    backbone = backbones.build_backbone(args.backbone or "resnet_tiny", image_shape)
    return models.Autoencoder(backbone, variant=args.variant or "plain", seed=args.seed)


def _mlm(args, process_index, x_train, image_shape):
    """A BERT masked language model; its WordPiece vocabulary is learned from `x_train`."""
    import keras_hub

    from ssl_zoo import backbones
    from ssl_zoo import data
    from ssl_zoo import models

    print(f"Learning a WordPiece vocabulary of up to {args.vocabulary_size:,} tokens from {len(x_train):,} texts")
    try:
        vocabulary = data.compute_vocabulary(x_train, args.vocabulary_size)
    except ValueError as error:
        raise ValueError(f"--vocabulary-size {args.vocabulary_size}: {error}") from None
    preprocessor = models.MaskedLMPreprocessor(
        keras_hub.models.BertTokenizer(vocabulary, lowercase=True),
        sequence_length=args.sequence_length,
        # 15% of the tokens, with room for texts that draw more.
        mask_selection_length=max(1, args.sequence_length // 4),
    )
    backbone = backbones.build_text_backbone(args.backbone or "bert_tiny", len(vocabulary), args.sequence_length)
    return models.MaskedLM(backbone, preprocessor)


# method -> (task class name, data loader, builder(args, process index, x_train, image shape) -> new task)
_METHODS = {
    "simclr": ("SimCLR", _image_data, _simclr),
    "rotnet": ("RotNet", _image_data, _rotnet),
    "autoencoder": ("Autoencoder", _image_data, _autoencoder),
    "mlm": ("MaskedLM", _text_data, _mlm),
}
METHODS = tuple(_METHODS)
# Options that shape a new model; a model from --init-preset has its own.
_ARCHITECTURE_OPTIONS = ("backbone", "color_mode", "variant", "vocabulary_size", "sequence_length")
# Settings of a new model left unset on the command line (a model from --init-preset keeps its own).
_NEW_MODEL_DEFAULTS = {
    "temperature": 0.5, "jitter_strength": 0.5, "vocabulary_size": 8000, "sequence_length": 64,
    "color_mode": "rgb",
}
# SimCLR settings that --init-preset's model takes from the command line when given.
_SIMCLR_OVERRIDES = ("temperature", "jitter_strength")


def _build(args, process_index):
    """`(task, (x_train, y_train), (x_test, y_test), fit kwargs)` for `args.method`.

    The task is new, or the one saved in `--init-preset` to train further. For mlm, 2,000
    held-out texts give the validation loss and masked-token accuracy after each epoch.
    """
    from ssl_zoo import models

    class_name, load_data, build_new = _METHODS[args.method]
    model = None
    if args.init_preset:
        overrides = {
            name: getattr(args, name) for name in _SIMCLR_OVERRIDES if getattr(args, name) is not None
        }
        if args.method == "simclr":
            overrides["seed"] = args.seed + process_index  # processes draw different views
        model = getattr(models, class_name).from_preset(args.init_preset, **overrides)
        print(f"Training further from preset {args.init_preset}")
    (x_train, y_train), (x_test, y_test), image_shape = load_data(args, model)
    if model is None:
        model = build_new(args, process_index, x_train, image_shape)
    fit_kwargs = {"validation_data": x_test[:2000]} if args.method == "mlm" and len(x_test) else {}
    return model, (x_train, y_train), (x_test, y_test), fit_kwargs


def register(subparsers):
    parser = subparsers.add_parser(
        "pretrain",
        help="pretrain a model on unlabeled data and save it as a preset folder",
        description="Pretrain METHOD on DATA and write a keras-hub preset folder to --out.",
    )
    parser.add_argument("method", choices=METHODS, help="self-supervised method")
    parser.add_argument(
        "--data", required=True,
        help="simclr, rotnet, autoencoder: fashion_mnist, synthetic, or a folder of images in "
        "class sub-folders; mlm: wordnet, synthetic, or a folder of .txt files (optionally in "
        "class sub-folders)",
    )
    parser.add_argument(
        "--out", required=True, metavar="DIR",
        help="preset folder to write: a new folder, or a preset folder to replace (atomically)",
    )
    parser.add_argument(
        "--color-mode", choices=("grayscale", "rgb", "rgba"),
        help="simclr, rotnet, autoencoder: channels a folder of images is read in (default: rgb; "
        "with --init-preset, the preset's)",
    )
    parser.add_argument("--backbone", help="backbone size (default: resnet_tiny for images, bert_tiny for mlm)")
    parser.add_argument("--epochs", type=arguments.positive_int, default=1,
                        help="passes over the data (default: %(default)s)")
    parser.add_argument("--batch-size", type=arguments.positive_int, default=256,
                        help="examples per step (default: %(default)s)")
    parser.add_argument("--limit", type=arguments.positive_int, metavar="K",
                        help="use only the first K training examples")
    parser.add_argument("--seed", type=arguments.non_negative_int, default=0, help="random seed (default: %(default)s)")
    parser.add_argument(
        "--knn-every", type=arguments.non_negative_int, default=1, metavar="E",
        help="report kNN accuracy on held-out labeled data every E epochs; 0 turns it off (default: %(default)s)",
    )
    parser.add_argument("--temperature", type=arguments.positive_float, metavar="T",
                        help="simclr: NT-Xent temperature (default: 0.5, or --init-preset's)")
    parser.add_argument("--jitter-strength", type=arguments.non_negative_float, metavar="S",
                        help="simclr: strength of each view's color (for gray images: brightness and "
                        "contrast) jitter (default: 0.5, or --init-preset's)")
    parser.add_argument("--variant", choices=AUTOENCODER_VARIANTS,
                        help="autoencoder: what the encoder sees of each image (default: plain)")
    parser.add_argument(
        "--reconstructions", metavar="PNG",
        help="autoencoder: write inputs, corrupted inputs and reconstructions of 8 test images",
    )
    parser.add_argument("--vocabulary-size", type=arguments.positive_int, metavar="V",
                        help="mlm: largest WordPiece vocabulary (default: 8000)")
    parser.add_argument("--sequence-length", type=arguments.integer_at_least(3), metavar="L",
                        help="mlm: tokens per text, [CLS] and [SEP] included: >= 3 (default: 64)")
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
    from ssl_zoo import evaluation

    parallel = distribution.start(args)  # first: engines fix their devices when they start
    with parallel, callbacks.stop_on_signals() as stop:
        model, x_test = _train(args, parallel, stop)
    if parallel.is_chief:
        distribution.restore_float32_policy(model)
        model.save_to_preset(args.out)
        print(f"Saved preset to {args.out}")
        if args.reconstructions:
            evaluation.save_reconstruction_grid(model.reconstruct(x_test[:8]), args.reconstructions)
            print(f"Saved reconstructions to {args.reconstructions}")
    return 0


def _train(args, parallel, stop):
    """Build, compile and fit the method's task on this process's share; `(task, x_test)`."""
    import keras

    from ssl_zoo import callbacks as ssl_callbacks

    if parallel.num_replicas > 1 and args.method != "simclr":
        raise ValueError(
            f"Data-parallel pretraining runs simclr only. Received: pretrain {args.method} on "
            f"{parallel.num_replicas} replicas; drop --devices (or torchrun) for {args.method}."
        )
    keras.utils.set_random_seed(args.seed)
    model, (x_train, y_train), (x_test, y_test), fit_kwargs = _build(args, parallel.process_index)
    model.compile()
    parallel.prepare(model)
    # The signal check first: an epoch cut short is never backed up as a whole one.
    callbacks = [stop, ssl_callbacks.StopOnNonFiniteLoss(), *_schedule_callbacks(args, model)]
    if parallel.is_chief:
        callbacks += _knn_monitor(args, x_train, y_train, x_test, y_test)
    if parallel.is_chief:
        print(f"Pretraining {args.method} ({model.backbone.count_params():,} backbone parameters) "
              f"on {len(x_train):,} examples from {args.data}, backend {keras.config.backend()}, "
              f"{parallel.num_replicas} replica(s), {args.dtype_policy}")
    x_local, batch_size = parallel.shard(x_train, args.batch_size)
    model.fit(x_local, batch_size=batch_size, epochs=args.epochs, callbacks=callbacks,
              verbose=output.progress_verbosity() if parallel.is_chief else 0, **fit_kwargs)
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
    if args.init_preset:
        for option in _ARCHITECTURE_OPTIONS:
            if getattr(args, option) is not None:
                raise ValueError(
                    f"--{option.replace('_', '-')} shapes a new model; a model from --init-preset "
                    f"keeps its own. Received: --init-preset {args.init_preset} "
                    f"--{option.replace('_', '-')} {getattr(args, option)}"
                )
    for option, methods in _METHOD_OPTIONS.items():
        if args.method not in methods and getattr(args, option) is not None:
            raise ValueError(
                f"--{option.replace('_', '-')} applies to {', '.join(methods)} only. "
                f"Received: pretrain {args.method} --{option.replace('_', '-')} {getattr(args, option)}"
            )
    files.check_preset_dir(args.out, "--out")
    _check_not_builtin(args.out)
    if args.reconstructions is not None:
        files.check_file(args.reconstructions, "--reconstructions")
    if args.checkpoint_dir is not None:
        files.check_folder(args.checkpoint_dir, "--checkpoint-dir")
    if not args.init_preset:
        for option, default in _NEW_MODEL_DEFAULTS.items():
            if getattr(args, option) is None:
                setattr(args, option, default)


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
    """A `KNNMonitor` on up to 5,000 labeled training and 2,000 test examples, if asked for."""
    from ssl_zoo import evaluation

    if not args.knn_every or y_train is None or not len(x_test):
        return []
    try:
        evaluation.check_probe_labels(y_train[:5000], y_test[:2000])
    except ValueError as error:
        print(f"No kNN monitor: {error}")
        return []
    return [
        evaluation.KNNMonitor(
            x_train[:5000], y_train[:5000], x_test[:2000], y_test[:2000], every=args.knn_every
        )
    ]
