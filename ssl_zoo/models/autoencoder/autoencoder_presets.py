"""Built-in Autoencoder presets: name -> description. The folders live in presets/<name>/."""

task_presets = {
    "autoencoder_resnet_fashion_mnist": "Plain autoencoder, resnet_tiny encoder (308k parameters), pretrained on the 60,000 Fashion-MNIST training images.",
}
