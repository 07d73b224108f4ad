"""Built-in SimCLR presets: name -> description. The folders live in presets/<name>/."""

task_presets = {
    "simclr_resnet_fashion_mnist": "SimCLR, resnet_tiny_wide backbone (834k parameters), pretrained on the 60,000 Fashion-MNIST training images.",
}
