"""A momentum (EMA) copy of an online network: the target of BYOL, MoCo and DINO."""

import math

import keras

from ssl_zoo import arguments

SCHEDULES = ("constant", "cosine")


def _check_total_steps(total_steps):
    if not (arguments.is_int(total_steps) and total_steps >= 1):
        raise ValueError(
            "total_steps must be an int >= 1 (the training steps). "
            f"Received: total_steps={total_steps!r}"
        )


@keras.saving.register_keras_serializable(package="ssl_zoo")
class MomentumTarget(keras.layers.Layer):
    """A copy of an online layer whose weights follow the online ones by an exponential average.

    "xi <- tau xi + (1 - tau) theta" after each training step: BYOL's target network (Grill
    et al. 2020, Sec. 3.1), MoCo's key encoder (He et al. 2020, Eq. 2), DINO's teacher (Caron
    et al. 2021). The copy is built from `online`'s config and starts with its weights.
    `update()` moves each copied weight `t` towards its online weight `s`,
    `t <- t + (1 - m) (s - t)`, inside the compiled training step (under JAX the variables are
    state of the jitted step, which a callback sees only between steps); calling the layer
    runs the copy. No gradient flows through the copy: its weights are non-trainable
    variables, read and assigned through `stop_gradient`.

    The averaged weights are `online`'s trainable ones. The copy's other state (its
    BatchNormalization moving statistics, random seeds) is its own, moved by its own forward
    passes: with `training=True` (the default) its BatchNormalization normalizes with the
    batch's statistics, as the online network's does while training. The copy's layers keep
    the `trainable` flags `online`'s layers had at construction; setting `trainable` on this
    layer sets it on `online` only. Under `ssl_zoo.models.DataParallel` the copy's batch
    statistics are global like the online network's, and every replica computes the same
    update from values equal on all of them.

    Momentum: `m = momentum` with `schedule="constant"`. With `schedule="cosine"` update `k`
    (from 0, counted in the variable `step`) uses
    `m_k = m_end - (m_end - momentum) (cos(pi min(k, K) / K) + 1) / 2`, rising from `momentum`
    to `m_end = final_momentum` at `K` updates (BYOL, Sec. 3.2, with `m_end = 1`; solo-learn's
    MoCo v2+ ends at 0.999). `K` is held in the variable `schedule_steps`: `total_steps`
    at construction, or what `set_total_steps` sets before training (a task whose steps
    `fit` decides); while it is 0 the momentum stays `momentum`.

    A task calls `update()` once per training step in `compute_loss` (outside any layer's
    `call`, where variables are read at their own dtype), before it runs the copy. MoCo
    computes its keys after the update; BYOL's and DINO's update after the optimizer step is
    the same update at the start of the next step. After `k` steps the copy averages the
    online weights from before each of them.

    The layer is built before training (no variable can be created inside a compiled step):
    it builds at construction when `online` is built, else call `build(input_shape)` or the
    layer once. In a task, `online` is saved with the task and the copy and `step` as this
    layer's weights, so a resumed run continues the schedule.

    Args:
        online: `keras.layers.Layer`. The online network, built or buildable from one input
            shape (several layers: wrap them in a `keras.Sequential`).
        momentum: float in [0, 1], 0.99 by default. The momentum, or the cosine schedule's
            starting value `m0`.
        schedule: "constant" (the default) or "cosine".
        final_momentum: float in [0, 1], 1.0 by default: the cosine schedule's last value.
            A constant schedule takes the default.
        total_steps: int >= 1 or None with `schedule="cosine"`: the updates over which the
            momentum rises to 1 (the training steps); None leaves them to `set_total_steps`.
            None (the default) with `schedule="constant"`.

    Call: `target(inputs, training=True)` takes what `online` takes and returns what `online`
    returns, computed with the copy.

    Example:
    ```python
    # In a BYOL task's __init__:
    self.online = keras.Sequential([backbone, keras.layers.GlobalAveragePooling2D(), projector])
    self.target = ssl_zoo.layers.MomentumTarget(
        self.online, momentum=0.99, schedule="cosine", total_steps=steps
    )

    # In its compute_loss:
    if training:
        self.target.update()
    z_a, z_b = self.target(view_a, training=training), self.target(view_b, training=training)
    ```
    """

    def __init__(
        self, online, momentum=0.99, schedule="constant", total_steps=None, final_momentum=1.0, **kwargs
    ):
        super().__init__(**kwargs)
        if not isinstance(online, keras.layers.Layer):
            raise ValueError(f"online must be a keras.layers.Layer. Received: online={online!r}")
        for name, value in (("momentum", momentum), ("final_momentum", final_momentum)):
            arguments.check_unit_interval(name, value)
        if schedule not in SCHEDULES:
            raise ValueError(
                f"schedule must be 'constant' or 'cosine'. Received: schedule={schedule!r}"
            )
        if schedule == "cosine" and total_steps is not None:
            _check_total_steps(total_steps)
        if schedule == "constant" and total_steps is not None:
            raise ValueError(
                "total_steps is for schedule='cosine'; a constant momentum takes None. "
                f"Received: total_steps={total_steps!r}"
            )
        if schedule == "constant" and final_momentum != 1.0:
            raise ValueError(
                "final_momentum is for schedule='cosine'; a constant momentum is `momentum`. "
                f"Received: final_momentum={final_momentum!r}"
            )
        # === Layers ===
        self.online = online
        serialized = keras.saving.serialize_keras_object(online)
        serialized["config"]["name"] = f"{online.name}_target"
        with keras.name_scope(self.name):  # variable paths apart from the online ones
            self.averaged = keras.saving.deserialize_keras_object(serialized)
        # === Config ===
        self.momentum = float(momentum)
        self.schedule = schedule
        self.total_steps = None if total_steps is None else int(total_steps)
        self.final_momentum = float(final_momentum)
        if online.built:
            self.build()

    def build(self, input_shape=None):
        if self.built:  # at construction, then again by build_from_config when loading
            return
        if not self.online.built:
            if input_shape is None:
                raise ValueError(
                    f"MomentumTarget needs the input shape of {self.online.name!r}, which is "
                    "not built: call build(input_shape), or build the online layer first."
                )
            self.online.build(input_shape)
        if not self.averaged.built:
            with keras.name_scope(self.name):
                self.averaged.build_from_config(
                    self.online.get_build_config() or {"input_shape": input_shape}
                )
        online_shapes = [tuple(w.shape) for w in self.online.weights]
        copy_shapes = [tuple(w.shape) for w in self.averaged.weights]
        if online_shapes != copy_shapes:
            raise ValueError(
                f"The copy of {self.online.name!r} built from its config has weights of shapes "
                f"{copy_shapes}, the online layer {online_shapes}: its get_config() must "
                "rebuild the same layer."
            )
        for copied, weight in zip(self.averaged.weights, self.online.weights):
            # A copy: under JAX two variables holding one buffer fail when the step donates it.
            copied.assign(keras.ops.copy(weight))
        for variable in self.averaged.variables:
            variable.trainable = False
        self.step = self.add_weight(
            name="step", shape=(), dtype="int", initializer="zeros", trainable=False
        )
        self.schedule_steps = self.add_weight(
            name="schedule_steps", shape=(), dtype="int", trainable=False,
            initializer=keras.initializers.Constant(self.total_steps or 0),
        )

    def set_total_steps(self, total_steps):
        """Set the cosine schedule's length `K` (updates from 0 until the momentum is 1).

        Call it outside the training step, before `fit` starts (a task does so in `fit`).

        Args:
            total_steps: int >= 1.
        """
        if self.schedule != "cosine":
            raise ValueError(
                f"set_total_steps is for schedule='cosine'. Received: schedule={self.schedule!r}"
            )
        _check_total_steps(total_steps)
        self.schedule_steps.assign(int(total_steps))

    @property
    def trainable(self):
        return self._trainable

    @trainable.setter
    def trainable(self, value):
        # The copy's layers keep their flags: a BatchNormalization with trainable=False would
        # normalize with its moving statistics, and the copy's variables stay non-trainable.
        self._trainable = bool(value)
        self.online.trainable = value

    def momentum_at(self, step):
        """The momentum of update number `step` (from 0): a float32 scalar tensor.

        Args:
            step: int or int tensor >= 0.
        """
        if self.schedule == "constant":
            return keras.ops.convert_to_tensor(self.momentum, "float32")
        total = keras.ops.cast(self.schedule_steps, "float32")  # 0: not set, momentum stays m0
        progress = keras.ops.minimum(keras.ops.cast(step, "float32") / keras.ops.maximum(total, 1.0), 1.0)
        progress = keras.ops.where(total > 0, progress, 0.0)
        rise = self.final_momentum - self.momentum
        return self.final_momentum - rise * (keras.ops.cos(math.pi * progress) + 1.0) / 2.0

    def update(self):
        """Move the copy's weights towards the online weights; call once per training step.

        Every replica computes the same update from weights that are equal on all of them
        (the online weights after the gradient step, the copy, `step`): a variable updated
        in a replica's step under `tf.distribute` changes on that replica only.

        Returns:
            The momentum used, a float32 scalar tensor.
        """
        if not self.built:
            raise ValueError(
                "MomentumTarget must be built before its first update (under JAX no variable "
                "can be created inside the training step): call build(input_shape) first."
            )
        momentum = self.momentum_at(self.step)
        rate = 1.0 - momentum
        for copied, weight in self._averaged_pairs():
            new = copied + keras.ops.cast(rate, copied.dtype) * (
                keras.ops.stop_gradient(weight) - copied
            )
            # JAX reads an assigned value back in the same step: stop its gradient here.
            copied.assign(keras.ops.stop_gradient(new))
        self.step.assign_add(1)
        return momentum

    def call(self, inputs, training=True):
        variables = self.averaged.non_trainable_variables  # all of the copy's state
        # Copies: torch refuses to assign a buffer (the next update) that the step read and
        # saved for its backward pass.
        values = [keras.ops.stop_gradient(keras.ops.copy(v)) for v in variables]
        outputs, values = self.averaged.stateless_call([], values, inputs, training=training)
        averaged = {id(copied) for copied, _ in self._averaged_pairs()}
        for variable, value in zip(variables, values):
            if id(variable) not in averaged:  # moving statistics, seeds
                variable.assign(value)
        return outputs

    def _averaged_pairs(self):
        """(copied variable, online variable) for each trainable weight of `online`."""
        trainable = {id(w) for w in self.online.trainable_weights}
        return [
            (copied, weight)
            for copied, weight in zip(self.averaged.weights, self.online.weights)
            if id(weight) in trainable
        ]

    def compute_output_spec(self, inputs, training=True):
        return self.averaged.compute_output_spec(inputs, training=training)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "online": keras.saving.serialize_keras_object(self.online),
                "momentum": self.momentum,
                "schedule": self.schedule,
                "total_steps": self.total_steps,
                "final_momentum": self.final_momentum,
            }
        )
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        config["online"] = keras.saving.deserialize_keras_object(config["online"])
        return cls(**config)
