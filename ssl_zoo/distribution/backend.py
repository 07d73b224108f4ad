"""The active Keras backend's distribution package, imported on first use."""

import importlib

import keras


def module():
    """`ssl_zoo.distribution.<backend>` for the running `KERAS_BACKEND`."""
    return importlib.import_module(f"ssl_zoo.distribution.{keras.config.backend()}")
