"""Built-in RotNet presets: name -> description. The folders live in presets/<name>/."""

task_presets = {
    "rotnet_resnet_fashion_mnist": "RotNet, resnet_tiny backbone (308k parameters), pretrained on the 60,000 Fashion-MNIST training images.",
}
