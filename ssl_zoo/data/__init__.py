"""Loaders: Fashion-MNIST, image folders and synthetic shape images, as uint8 NumPy arrays."""

from ssl_zoo.data.fashion_mnist import FASHION_MNIST_CLASS_NAMES
from ssl_zoo.data.fashion_mnist import load_fashion_mnist
from ssl_zoo.data.image_datasets import load_images
from ssl_zoo.data.image_folder import load_image_folder
from ssl_zoo.data.synthetic_images import SYNTHETIC_CLASS_NAMES
from ssl_zoo.data.synthetic_images import load_synthetic_images
