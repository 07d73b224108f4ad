"""On-device, per-image augmentation layers and the ops they are built from."""

from ssl_zoo.augmentations.cielab import lab_to_rgb
from ssl_zoo.augmentations.cielab import rgb_to_lab
from ssl_zoo.augmentations.color_ops import adjust_brightness
from ssl_zoo.augmentations.color_ops import adjust_contrast
from ssl_zoo.augmentations.color_ops import adjust_hue
from ssl_zoo.augmentations.color_ops import adjust_saturation
from ssl_zoo.augmentations.color_ops import rgb_to_grayscale
from ssl_zoo.augmentations.crop_and_resize import crop_and_resize
from ssl_zoo.augmentations.gaussian_blur import blur_kernel_size
from ssl_zoo.augmentations.gaussian_blur import gaussian_blur
from ssl_zoo.augmentations.multi_crop_augmentation import MultiCropAugmentation
from ssl_zoo.augmentations.patch_mask import patch_grid
from ssl_zoo.augmentations.patch_mask import random_patch_mask
from ssl_zoo.augmentations.quarter_turns import quarter_turn_labels
from ssl_zoo.augmentations.quarter_turns import quarter_turns
from ssl_zoo.augmentations.quarter_turns import rotate_quarter_turns
from ssl_zoo.augmentations.random_resized_crop import RandomResizedCrop
from ssl_zoo.augmentations.simclr_augmentation import SimCLRAugmentation
from ssl_zoo.augmentations.solarize import solarize
from ssl_zoo.augmentations.two_view_augmentation import TwoViewAugmentation
