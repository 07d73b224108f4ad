"""Loaders: Fashion-MNIST, WordNet glosses, image and text folders, synthetic images and texts."""

from ssl_zoo.data.fashion_mnist import FASHION_MNIST_CLASS_NAMES
from ssl_zoo.data.fashion_mnist import load_fashion_mnist
from ssl_zoo.data.image_datasets import load_images
from ssl_zoo.data.image_folder import load_image_folder
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
