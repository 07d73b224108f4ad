"""Options every image method takes on the command line."""

from ssl_zoo.methods import option_types
from ssl_zoo.methods.method import Option

COLOR_MODE = Option(
    "color_mode",
    "channels a folder of images is read in (with --init-preset, the preset's)",
    default="rgb",
    choices=("grayscale", "rgb", "rgba"),
    shapes_model=True,
)
IMAGE_SIZE = Option(
    "image_size",
    "size a folder's images are resized to: PX x PX, or H W (default: the first image's size; "
    "with --init-preset, the preset's)",
    type=option_types.positive_int,
    metavar="PX",
    nargs="+",
    shapes_model=True,
)
WORKERS = Option(
    "workers",
    "threads decoding a folder's images (default: one per CPU core)",
    type=option_types.positive_int,
    metavar="N",
)
IMAGE_OPTIONS = (COLOR_MODE, IMAGE_SIZE, WORKERS)
