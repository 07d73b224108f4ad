"""What DINO keeps between steps besides weights: the teacher's center and the epoch schedules."""

import keras

from ssl_zoo import distribution


@keras.saving.register_keras_serializable(package="ssl_zoo")
class DINOState(keras.layers.Layer):
    """The teacher's center `(K,)` and the length of an epoch, for DINO's schedules.

    - `update_center(teacher_logits)`: `c <- m c + (1 - m) mean(teacher_logits)` with the mean
      over the global batch (every replica's rows: `ssl_zoo.distribution.gather_replicas` of
      each replica's mean, equal shares), as the official `DINOLoss.update_center` after its
      all-reduce. `m = center_momentum` (0.9).
    - `teacher_temperature(step)`: the official schedule by epoch,
      `np.linspace(warmup_teacher_temperature, teacher_temperature, warmup_epochs)[epoch]`
      during the warmup, `teacher_temperature` after it.
    - `last_layer_gradient_scale(step)`: 0 during the first `freeze_last_layer_epochs`
      epochs, 1 after them (the official `cancel_gradients_last_layer`).

    `epoch = step // steps_per_epoch`, with `steps_per_epoch` a saved int variable that the
    task sets in `fit` (`set_steps_per_epoch`); while it is 0 every step is in epoch 0.

    Args:
        num_prototypes: int. The teacher's outputs `K`.
        center_momentum: float in [0, 1].
        teacher_temperature: float > 0. The temperature after the warmup.
        warmup_teacher_temperature: float in (0, teacher_temperature].
        warmup_teacher_temperature_epochs: int >= 0.
        freeze_last_layer_epochs: int >= 0.
    """

    def __init__(
        self,
        num_prototypes,
        center_momentum,
        teacher_temperature,
        warmup_teacher_temperature,
        warmup_teacher_temperature_epochs,
        freeze_last_layer_epochs,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.num_prototypes = num_prototypes
        self.center_momentum = float(center_momentum)
        self.teacher_temperature_end = float(teacher_temperature)
        self.warmup_teacher_temperature = float(warmup_teacher_temperature)
        self.warmup_teacher_temperature_epochs = int(warmup_teacher_temperature_epochs)
        self.freeze_last_layer_epochs = int(freeze_last_layer_epochs)
        self.build()

    def build(self, input_shape=None):
        if self.built:
            return
        self.center = self.add_weight(
            name="center", shape=(self.num_prototypes,), initializer="zeros", trainable=False, dtype="float32"
        )
        self.steps_per_epoch = self.add_weight(
            name="steps_per_epoch", shape=(), initializer="zeros", trainable=False, dtype="int"
        )
        self.built = True

    def set_steps_per_epoch(self, steps):
        """Set the epoch's length (call it outside the training step, in `fit`)."""
        self.steps_per_epoch.assign(int(steps))

    def epoch(self, step):
        """The epoch (from 0) of training step `step` (from 0): an int32 tensor."""
        steps = keras.ops.maximum(keras.ops.cast(self.steps_per_epoch, "int32"), 1)
        epoch = keras.ops.floor_divide(keras.ops.cast(step, "int32"), steps)
        return keras.ops.where(self.steps_per_epoch > 0, epoch, 0)

    def teacher_temperature(self, step):
        """The teacher's temperature at training step `step`: a float32 scalar tensor."""
        warmup = self.warmup_teacher_temperature_epochs
        end, start = self.teacher_temperature_end, self.warmup_teacher_temperature
        epoch = keras.ops.cast(self.epoch(step), "float32")
        if warmup <= 1:  # linspace(start, end, 1) is [start]; linspace(start, end, 0) is empty
            return keras.ops.where(epoch < warmup, start, end)
        return start + (end - start) * keras.ops.minimum(epoch / (warmup - 1), 1.0)

    def last_layer_gradient_scale(self, step):
        """1.0 once step `step` is past the frozen epochs, else 0.0 (float32)."""
        return keras.ops.cast(self.epoch(step) >= self.freeze_last_layer_epochs, "float32")

    def update_center(self, teacher_logits):
        """Move the center towards the global batch's mean teacher output; call once a step."""
        local_mean = keras.ops.mean(keras.ops.cast(teacher_logits, "float32"), axis=0, keepdims=True)
        batch_mean = keras.ops.mean(distribution.gather_replicas(local_mean), axis=0)
        new = self.center_momentum * self.center + (1.0 - self.center_momentum) * batch_mean
        self.center.assign(keras.ops.stop_gradient(new))

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "num_prototypes": self.num_prototypes,
                "center_momentum": self.center_momentum,
                "teacher_temperature": self.teacher_temperature_end,
                "warmup_teacher_temperature": self.warmup_teacher_temperature,
                "warmup_teacher_temperature_epochs": self.warmup_teacher_temperature_epochs,
                "freeze_last_layer_epochs": self.freeze_last_layer_epochs,
            }
        )
        return config
