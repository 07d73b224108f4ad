"""The method registry: what each method folder declares, readable without Keras."""

from ssl_zoo.methods.method import MODALITIES
from ssl_zoo.methods.method import Method
from ssl_zoo.methods.method import Option
from ssl_zoo.methods.registry import builtin
from ssl_zoo.methods.registry import get
from ssl_zoo.methods.registry import register
from ssl_zoo.methods.registry import registered
from ssl_zoo.methods.image_options import IMAGE_OPTIONS
from ssl_zoo.methods import shared_options
