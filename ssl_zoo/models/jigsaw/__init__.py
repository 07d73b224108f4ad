from ssl_zoo.models.jigsaw.jigsaw import Jigsaw
from ssl_zoo.models.jigsaw.jigsaw_permutations import hamming_distances
from ssl_zoo.models.jigsaw.jigsaw_permutations import jigsaw_permutations
from ssl_zoo.models.jigsaw.jigsaw_tiles import JigsawTiles
