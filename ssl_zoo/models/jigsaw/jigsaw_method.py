"""Jigsaw as the registry sees it: options and how it is trained."""

import functools

from ssl_zoo import methods
from ssl_zoo.methods import option_types
from ssl_zoo.methods import shared_options

METHOD = methods.register(methods.Method(
    name="jigsaw", task="ssl_zoo.models.jigsaw:Jigsaw", modality="images",
    build=functools.partial(shared_options.build_image_task, task="Jigsaw", options=("grid", "num_permutations")),
    description="put each image's shuffled tiles back in order: classify which of a fixed set of permutations",
    tiny=dict(hidden_dim=8, seed=1),  # 2x2 tiles of 6 px from 16 px images
    tiny_backbone="one_stage_backbone",
    options=methods.IMAGE_OPTIONS + (
        methods.Option("grid", "tiles per side (default: 2 under 64 px, else 3)", type=option_types.positive_int,
                       metavar="G", shapes_model=True),
        methods.Option("num_permutations", "orders of the tiles to tell apart (default: all 24 for 2x2, 100 for "
                       "3x3)", type=option_types.positive_int, metavar="P", shapes_model=True),
    ),
    # Each replica draws its own permutations: a step on replicas equals one device only in
    # distribution, which the shared data-parallel test cannot check.
    data_parallel=False,
))
