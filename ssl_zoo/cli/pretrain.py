"""`ssl-zoo pretrain`: train a self-supervised model and write a preset folder."""

from ssl_zoo.cli import distribution

METHODS = ("simclr",)


def register(subparsers):
    parser = subparsers.add_parser(
        "pretrain",
        help="pretrain a model on unlabeled data and save it as a preset folder",
        description="Pretrain METHOD on DATA and write a keras-hub preset folder to --out.",
    )
    parser.add_argument("method", choices=METHODS, help="self-supervised method")
    parser.add_argument(
        "--data", required=True,
        help="fashion_mnist, synthetic, or a folder of images in class sub-folders",
    )
    parser.add_argument("--out", required=True, help="preset folder to write (replaced atomically)")
    parser.add_argument("--backbone", default="resnet_tiny", help="backbone size (default: %(default)s)")
    parser.add_argument("--epochs", type=int, default=1, help="passes over the data (default: %(default)s)")
    parser.add_argument("--batch-size", type=int, default=256, help="images per step (default: %(default)s)")
    parser.add_argument("--limit", type=int, help="use only the first K training images")
    parser.add_argument("--temperature", type=float, default=0.5, help="NT-Xent temperature (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default: %(default)s)")
    parser.add_argument(
        "--knn-every", type=int, default=1, metavar="E",
        help="report kNN accuracy on held-out images every E epochs; 0 turns it off (default: %(default)s)",
    )
    distribution.add_arguments(parser)
    parser.set_defaults(func=run)


def run(args):
    parallel = distribution.start(args)  # first: engines fix their devices when they start
    with parallel:
        model = _train(args, parallel)
    if parallel.is_chief:
        distribution.restore_float32_policy(model)
        model.save_to_preset(args.out)
        print(f"Saved preset to {args.out}")
    return 0


def _train(args, parallel):
    import keras

    from ssl_zoo import backbones
    from ssl_zoo import data
    from ssl_zoo import evaluation
    from ssl_zoo import models

    for name in ("epochs", "batch_size"):
        if getattr(args, name) < 1:
            raise ValueError(f"--{name.replace('_', '-')} must be >= 1. Received: {getattr(args, name)}")
    if args.limit is not None and args.limit < 1:
        raise ValueError(f"--limit must be >= 1. Received: {args.limit}")
    keras.utils.set_random_seed(args.seed)
    (x_train, y_train), (x_test, y_test), _ = data.load_images(args.data)
    x_train, y_train = x_train[: args.limit], y_train[: args.limit]
    image_shape = x_train.shape[1:] if x_train.ndim == 4 else (*x_train.shape[1:], 1)
    backbone = backbones.build_backbone(args.backbone, image_shape)
    # Processes draw different views; rank 0, which saves, keeps --seed.
    model = models.SimCLR(backbone, temperature=args.temperature, seed=args.seed + parallel.process_index)
    model.compile()
    parallel.prepare(model)
    callbacks = []
    if args.knn_every and parallel.is_chief:
        callbacks.append(
            evaluation.KNNMonitor(
                x_train[:5000], y_train[:5000], x_test[:2000], y_test[:2000], every=args.knn_every
            )
        )
    if parallel.is_chief:
        print(f"Pretraining {args.method} ({args.backbone}, {backbone.count_params():,} parameters) "
              f"on {len(x_train):,} images from {args.data}, backend {keras.config.backend()}, "
              f"{parallel.num_replicas} replica(s), {args.dtype_policy}")
    x_local, batch_size = parallel.shard(x_train, args.batch_size)
    model.fit(x_local, batch_size=batch_size, epochs=args.epochs, callbacks=callbacks,
              verbose="auto" if parallel.is_chief else 0)
    return model
