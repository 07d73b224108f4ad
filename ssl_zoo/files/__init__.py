"""Writing users' files: atomic writes with the umask's permissions, output paths checked first."""

from ssl_zoo.files.atomic import write_file
from ssl_zoo.files.atomic import write_folder
from ssl_zoo.files.atomic import write_named_file
from ssl_zoo.files.output_paths import check_file
from ssl_zoo.files.output_paths import check_folder
from ssl_zoo.files.output_paths import check_preset_dir
