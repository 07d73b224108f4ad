"""Autoencoders as the registry sees them: options, presets and how they are trained."""

from ssl_zoo import methods

# What the encoder sees of each image (`Autoencoder(variant=...)`).
VARIANTS = ("plain", "denoising", "masked")


def build(settings):
    from ssl_zoo import backbones
    from ssl_zoo import models

    backbone = backbones.build_backbone(settings.backbone or "resnet_tiny", settings.image_shape)
    variant = {} if settings.variant is None else {"variant": settings.variant}
    return models.Autoencoder(backbone, seed=settings.seed, **variant)


def save_reconstructions(task, settings, x_test):
    """`--reconstructions PNG`: inputs, corruptions and reconstructions of 8 test images."""
    from ssl_zoo import evaluation

    if settings.reconstructions:
        evaluation.save_reconstruction_grid(task.reconstruct(x_test[:8]), settings.reconstructions)
        print(f"Saved reconstructions to {settings.reconstructions}")


METHOD = methods.register(methods.Method(
    name="autoencoder", task="ssl_zoo.models.autoencoder:Autoencoder", modality="images", build=build,
    description="reconstruct each image from itself, a noisy copy or a masked copy",
    tiny=dict(seed=1),  # the plain variant draws nothing at random
    options=methods.IMAGE_OPTIONS + (
        methods.Option("variant", "what the encoder sees of each image (default: Autoencoder's)",
                       choices=VARIANTS, shapes_model=True),
        methods.Option("reconstructions", "write inputs, corrupted inputs and reconstructions of "
                       "8 test images", metavar="PNG", output_file=True),
    ),
    after_training=save_reconstructions,
    presets={
        "autoencoder_resnet_fashion_mnist": "Plain autoencoder, resnet_tiny encoder (308k parameters), pretrained on the 60,000 Fashion-MNIST training images.",
    },
    recipes={
        "autoencoder_resnet_fashion_mnist": ("fashion_mnist", [
            "--variant plain --backbone resnet_tiny --epochs 4 --batch-size 256 --schedule cosine --knn-every 0",
        ]),
    },
))
