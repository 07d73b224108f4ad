"""`ssl-zoo pretrain`: train a self-supervised model and write a preset folder."""


def _simclr(args, image_shape):
    from ssl_zoo import backbones
    from ssl_zoo import models

    backbone = backbones.build_backbone(args.backbone, image_shape)
    return models.SimCLR(backbone, temperature=args.temperature, seed=args.seed)


def _rotnet(args, image_shape):
    from ssl_zoo import backbones
    from ssl_zoo import models

    side = min(image_shape[:2])  # RotNet center-crops to the backbone's square
    backbone = backbones.build_backbone(args.backbone, (side, side, image_shape[2]))
    return models.RotNet(backbone, image_shape=image_shape)


def _autoencoder(args, image_shape):
    from ssl_zoo import backbones
    from ssl_zoo import models

    backbone = backbones.build_backbone(args.backbone, image_shape)
    return models.Autoencoder(backbone, variant=args.variant or "plain", seed=args.seed)


# method -> builder(args, image_shape) -> task
_BUILDERS = {"simclr": _simclr, "rotnet": _rotnet, "autoencoder": _autoencoder}
METHODS = tuple(_BUILDERS)
_AUTOENCODER_OPTIONS = ("variant", "reconstructions")


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
        "--variant", help="autoencoder: plain, denoising or masked (default: plain)"
    )
    parser.add_argument(
        "--reconstructions", metavar="PNG",
        help="autoencoder: write inputs, corrupted inputs and reconstructions of 8 test images",
    )
    parser.add_argument(
        "--knn-every", type=int, default=1, metavar="E",
        help="report kNN accuracy on held-out images every E epochs; 0 turns it off (default: %(default)s)",
    )
    parser.set_defaults(func=run)


def run(args):
    import keras

    from ssl_zoo import data
    from ssl_zoo import evaluation

    for option in _AUTOENCODER_OPTIONS:
        if args.method != "autoencoder" and getattr(args, option) is not None:
            raise ValueError(
                f"--{option} applies to autoencoder only. "
                f"Received: pretrain {args.method} --{option} {getattr(args, option)}"
            )
    for name in ("epochs", "batch_size"):
        if getattr(args, name) < 1:
            raise ValueError(f"--{name.replace('_', '-')} must be >= 1. Received: {getattr(args, name)}")
    if args.limit is not None and args.limit < 1:
        raise ValueError(f"--limit must be >= 1. Received: {args.limit}")
    keras.utils.set_random_seed(args.seed)
    (x_train, y_train), (x_test, y_test), _ = data.load_images(args.data)
    x_train, y_train = x_train[: args.limit], y_train[: args.limit]
    image_shape = x_train.shape[1:] if x_train.ndim == 4 else (*x_train.shape[1:], 1)
    model = _BUILDERS[args.method](args, tuple(image_shape))
    callbacks = []
    if args.knn_every:
        callbacks.append(
            evaluation.KNNMonitor(
                x_train[:5000], y_train[:5000], x_test[:2000], y_test[:2000], every=args.knn_every
            )
        )
    print(f"Pretraining {args.method} ({args.backbone}, {model.backbone.count_params():,} parameters) "
          f"on {len(x_train):,} images from {args.data}, backend {keras.config.backend()}")
    model.fit(x_train, batch_size=args.batch_size, epochs=args.epochs, callbacks=callbacks)
    model.save_to_preset(args.out)
    print(f"Saved preset to {args.out}")
    if args.reconstructions:
        evaluation.save_reconstruction_grid(model.reconstruct(x_test[:8]), args.reconstructions)
        print(f"Saved reconstructions to {args.reconstructions}")
    return 0
