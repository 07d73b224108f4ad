"""Keras callbacks for long training runs: backups, interrupts, divergence."""

from ssl_zoo.callbacks.non_finite_loss import NonFiniteLossError
from ssl_zoo.callbacks.non_finite_loss import StopOnNonFiniteLoss
from ssl_zoo.callbacks.signals import Interrupted
from ssl_zoo.callbacks.signals import stop_on_signals
from ssl_zoo.callbacks.training_checkpoint import TrainingCheckpoint
