"""SimCLR as the registry sees it: options, presets and how they are trained."""

import functools

from ssl_zoo import methods
from ssl_zoo.methods import option_types
from ssl_zoo.methods import shared_options

METHOD = methods.register(methods.Method(
    name="simclr", task="ssl_zoo.models.simclr:SimCLR", modality="images",
    build=functools.partial(shared_options.build_image_task, task="SimCLR",
                            options=("temperature", "jitter_strength", "num_local_crops")),
    description="contrastive: two augmented views of each image, NT-Xent over the batch",
    tiny=dict(projection_dim=4, projection_hidden_dim=8, seed=1),
    # Whole-image crops and no color change: on mirror-symmetric images no draw matters.
    deterministic=dict(crop_scale=(1.0, 1.0), jitter_strength=0.0),
    options=methods.IMAGE_OPTIONS + (
        shared_options.TEMPERATURE,
        shared_options.NUM_LOCAL_CROPS,
        methods.Option("jitter_strength", "strength of each view's color (for gray images: brightness "
                       "and contrast) jitter (default: SimCLR's, or --init-preset's)",
                       type=option_types.non_negative_float, metavar="S", overrides_preset=True),
    ),
    reseeds_preset=True,
    presets={
        "simclr_resnet_fashion_mnist": "SimCLR, resnet_tiny_wide backbone (834k parameters), pretrained on the 60,000 Fashion-MNIST training images.",
    },
    recipes={
        # Chosen on a validation split: docs/decisions.md, "The SimCLR preset".
        "simclr_resnet_fashion_mnist": ("fashion_mnist", [
            "--backbone resnet_tiny_wide --temperature 0.2 --jitter-strength 1.0 --epochs 16 "
            "--batch-size 256 --schedule cosine --knn-every 2",
        ]),
    },
))
