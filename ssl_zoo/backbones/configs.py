"""Named backbone sizes for the CLI and the preset builders."""

from ssl_zoo.backbones.small_resnet_backbone import SmallResNetBackbone

BACKBONES = {
    # 0.3M parameters.
    "resnet_tiny": dict(stem_filters=32, stackwise_num_filters=(32, 64, 128)),
    # 0.8M parameters: resnet_tiny with a last stage twice as wide, so a 256-value pooled
    # representation; the first stage, at full resolution, does most of the work and is the
    # same (time per epoch: docs/decisions.md).
    "resnet_tiny_wide": dict(stem_filters=32, stackwise_num_filters=(32, 64, 256)),
    # 1.2M parameters.
    "resnet_small": dict(stem_filters=64, stackwise_num_filters=(64, 128, 256)),
}


def build_backbone(name, image_shape):
    """A fresh `SmallResNetBackbone` of the named size for images of `image_shape`."""
    if name not in BACKBONES:
        raise ValueError(
            f"Unknown backbone '{name}'. Available: {', '.join(sorted(BACKBONES))}"
        )
    return SmallResNetBackbone(image_shape=tuple(image_shape), **BACKBONES[name])
