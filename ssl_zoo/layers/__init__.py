from ssl_zoo.layers.grid_average_pooling import GridAveragePooling2D
from ssl_zoo.layers.projection_head import ProjectionHead
from ssl_zoo.layers.momentum_target import MomentumTarget
from ssl_zoo.layers.each_view import EachView
from ssl_zoo.layers.key_queue import KeyQueue
from ssl_zoo.layers.stack_while_training import StackWhileTraining
