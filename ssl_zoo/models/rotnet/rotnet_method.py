"""RotNet as the registry sees it: options, presets and how they are trained."""

from ssl_zoo import methods


def build(settings):
    from ssl_zoo import backbones
    from ssl_zoo import models

    image_shape = settings.image_shape
    side = min(image_shape[:2])  # RotNet center-crops to the backbone's square
    backbone = backbones.build_backbone(settings.backbone or "resnet_tiny", (side, side, image_shape[2]))
    return models.RotNet(backbone, image_shape=image_shape)


METHOD = methods.register(methods.Method(
    name="rotnet", task="ssl_zoo.models.rotnet:RotNet", modality="images", build=build,
    description="predict which of four quarter turns was applied to each image",
    tiny={},  # draws nothing at random
    options=methods.IMAGE_OPTIONS,
    presets={
        "rotnet_resnet_fashion_mnist": "RotNet, resnet_tiny backbone (308k parameters), pretrained on the 60,000 Fashion-MNIST training images.",
    },
    recipes={
        "rotnet_resnet_fashion_mnist": ("fashion_mnist", [
            "--backbone resnet_tiny --epochs 1 --batch-size 128 --schedule cosine --knn-every 0",
            "--epochs 2 --batch-size 128 --schedule cosine --knn-every 0",
        ]),
    },
))
