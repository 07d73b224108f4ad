"""Back up the training state after every epoch, atomically, and resume from it."""

import os
import re

import keras

from ssl_zoo import files

_BACKUP = re.compile(r"^epoch_(\d+)\.weights\.h5$")


class TrainingCheckpoint(keras.callbacks.Callback):
    """Keep the newest training state in `directory` and resume `fit` from it.

    After epoch `e` (1-based) the weights and the optimizer's state go to
    `{directory}/epoch_{e}.weights.h5`: written under a temporary name and renamed, so a kill
    during the write leaves the previous backup whole; the earlier backup is then removed.
    `fit` starts after the newest backup and prints `Resumed from epoch e`. When `fit`
    completes every epoch the backups are removed, and `directory` too if that left it
    empty; an interrupted `fit` keeps them. Only files named `epoch_*.weights.h5` are ever
    touched, so `directory` may hold other files.

    Unlike `keras.callbacks.BackupAndRestore`, which writes its backup in place and removes
    the whole `backup_dir` at the end, whatever it holds.

    Args:
        directory: str. Folder of the backups, created at the first one.

    Raises:
        ValueError: at the start of `fit`, when the newest backup cannot be loaded (a damaged
            file, or one of another model); the message names the file to delete.
    """

    def __init__(self, directory):
        super().__init__()
        self.directory = os.fspath(directory)
        self.resumed_from = 0

    def backups(self):
        """`[(epoch, path)]` of the backups in `directory`, oldest first."""
        if not os.path.isdir(self.directory):
            return []
        found = [(int(m.group(1)), m.group(0)) for m in map(_BACKUP.match, os.listdir(self.directory)) if m]
        return [(epoch, os.path.join(self.directory, name)) for epoch, name in sorted(found)]

    def on_train_begin(self, logs=None):
        backups = self.backups()
        if not backups:
            return
        epoch, path = backups[-1]
        if self.model.optimizer is not None and not self.model.optimizer.built:
            self.model.optimizer.build(self.model.trainable_variables)  # its state is in the backup
        try:
            self.model.load_weights(path)
        except Exception as error:  # h5py and Keras raise OSError, ValueError, KeyError, ...
            raise ValueError(
                f"The training backup {path} is damaged or belongs to another model "
                f"({type(error).__name__}: {error}). Delete it to train from the first epoch."
            ) from None
        self.model._initial_epoch = epoch  # read by fit right after on_train_begin
        self.resumed_from = epoch
        print(f"Resumed from epoch {epoch} ({path})", flush=True)

    def on_epoch_begin(self, epoch, logs=None):
        self.model._initial_epoch = None  # read already; a later fit starts from its own

    def on_epoch_end(self, epoch, logs=None):
        older = self.backups()
        path = os.path.join(self.directory, f"epoch_{epoch + 1}.weights.h5")
        files.write_named_file(path, self.model.save_weights)
        for _, old in older:
            if old != path:
                os.remove(old)

    def on_train_end(self, logs=None):
        for _, path in self.backups():
            os.remove(path)
        if os.path.isdir(self.directory) and not os.listdir(self.directory):
            os.rmdir(self.directory)
