from ssl_zoo.evaluation.features import extract_features
from ssl_zoo.evaluation.knn import knn_classify
from ssl_zoo.evaluation.knn_monitor import KNNMonitor
from ssl_zoo.evaluation.linear_probe import label_subset
from ssl_zoo.evaluation.linear_probe import linear_probe
