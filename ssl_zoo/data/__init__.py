"""Loaders: standard image archives, WordNet glosses, image and text folders, synthetic sets."""

from ssl_zoo.data.cifar import CIFAR10_CLASS_NAMES
from ssl_zoo.data.cifar import CIFAR100_COARSE_CLASS_NAMES
from ssl_zoo.data.cifar import CIFAR100_FINE_CLASS_NAMES
from ssl_zoo.data.cifar import load_cifar10
from ssl_zoo.data.cifar import load_cifar100
from ssl_zoo.data.fashion_mnist import FASHION_MNIST_CLASS_NAMES
from ssl_zoo.data.fashion_mnist import load_fashion_mnist
from ssl_zoo.data.image_datasets import IMAGE_DATA_NAMES
from ssl_zoo.data.image_datasets import load_images
from ssl_zoo.data.image_folder import SkippedImagesWarning
from ssl_zoo.data.image_folder import load_image_folder
from ssl_zoo.data.mnist import load_mnist
from ssl_zoo.data.stl10 import STL10_CLASS_NAMES
from ssl_zoo.data.stl10 import load_stl10
from ssl_zoo.data.stl10 import load_stl10_unlabeled
from ssl_zoo.data.synthetic_images import SYNTHETIC_CLASS_NAMES
from ssl_zoo.data.synthetic_images import load_synthetic_images
from ssl_zoo.data.synthetic_texts import SYNTHETIC_TEXT_CLASS_NAMES
from ssl_zoo.data.synthetic_texts import load_synthetic_texts
from ssl_zoo.data.text_datasets import load_texts
from ssl_zoo.data.text_folder import load_text_folder
from ssl_zoo.data.vocabulary import BERT_SPECIAL_TOKENS
from ssl_zoo.data.vocabulary import compute_vocabulary
from ssl_zoo.data.wordnet import WORDNET_LEXNAMES
from ssl_zoo.data.wordnet import load_wordnet_glosses
