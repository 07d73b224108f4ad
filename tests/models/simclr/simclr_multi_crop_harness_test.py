"""The shared task tests for SimCLR with local crops, whose data-parallel loss gathers each crop.

SimCLR's own entry in the registry keeps two views (its shared tests step the NT-Xent
kernels); this file registers the multi-crop setting under a name of its own, as the toy
method of `tests/methods/toy_method_test.py` does, so that the one-step test on replicas
covers `multi_crop_nt_xent` on the global batch too.
"""

import keras

from ssl_zoo import methods
from ssl_zoo import models
from ssl_zoo.testing import task_harness


@keras.saving.register_keras_serializable(package="ssl_zoo_tests")
class MultiCropSimCLR(models.SimCLR):
    """`SimCLR` under another registered name: the shared tests of its multi-crop setting."""


def build(settings):
    from ssl_zoo import backbones

    backbone = backbones.build_backbone(settings.backbone or "resnet_tiny", settings.image_shape)
    return MultiCropSimCLR(backbone, num_local_crops=2, seed=settings.seed + settings.process_index)


if "simclr_multi_crop" not in methods.registered():  # this file also runs in the harness's subprocesses
    methods.register(methods.Method(
        name="simclr_multi_crop", task=MultiCropSimCLR, modality="images", build=build,
        tiny=dict(projection_dim=4, projection_hidden_dim=8, num_local_crops=1, local_size=8, seed=1),
        # Whole-image crops and no color change (SimCLR's own setting, and the local crops').
        deterministic=dict(crop_scale=(1.0, 1.0), jitter_strength=0.0, local_crop_scale=(1.0, 1.0)),
        options=methods.IMAGE_OPTIONS, description="SimCLR with one local crop per image (tests only)",
    ))


class SimCLRMultiCropHarnessTest(task_harness.TaskHarness):
    method_name = "simclr_multi_crop"
