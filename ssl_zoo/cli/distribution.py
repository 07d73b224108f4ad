"""`--devices` and `--dtype-policy`: how a training command spreads over devices."""

from ssl_zoo.methods import option_types

DTYPE_POLICIES = ("float32", "mixed_bfloat16", "mixed_float16")


def add_arguments(parser):
    """Add `--devices` and `--dtype-policy` to a training command's parser."""
    parser.add_argument(
        "--devices", type=option_types.positive_int, metavar="K",
        help="train data-parallel on K devices with negatives from the global batch (JAX, "
             "TensorFlow; K CPU devices without accelerators). On PyTorch start K processes: "
             "torchrun --nproc-per-node K -m ssl_zoo pretrain ...",
    )
    parser.add_argument(
        "--dtype-policy", choices=DTYPE_POLICIES, default="float32",
        help="Keras dtype policy; the loss stays float32 (default: %(default)s)",
    )


def start(args):
    """Set the dtype policy and start the data-parallel engine, before anything runs.

    Returns:
        `ssl_zoo.distribution.DataParallel`: build, compile and fit inside its `with` block, write
        files only where `is_chief`.
    """
    import keras

    from ssl_zoo import distribution

    keras.config.set_dtype_policy(args.dtype_policy)
    return distribution.DataParallel(args.devices)


def restore_float32_policy(model):
    """Give mixed-precision layers the float32 policy before saving the model.

    The variables are float32 under a mixed policy already; keras-hub's `from_preset` only
    reads float policies from a preset (`dtype=` picks the precision when loading), so a
    preset that names `mixed_bfloat16` would not load.

    Args:
        model: `keras.Model` done training.
    """
    for layer in model._flatten_layers(include_self=True):
        if layer.dtype_policy.name.startswith("mixed_"):  # tokenizers keep their int/string dtypes
            layer.dtype_policy = "float32"
