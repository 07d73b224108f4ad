"""Options every image method takes on the command line."""

from ssl_zoo.methods.method import Option

COLOR_MODE = Option(
    "color_mode",
    "channels a folder of images is read in (with --init-preset, the preset's)",
    default="rgb",
    choices=("grayscale", "rgb", "rgba"),
    shapes_model=True,
)
IMAGE_OPTIONS = (COLOR_MODE,)
