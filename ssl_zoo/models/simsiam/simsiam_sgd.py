"""SGD whose predictor keeps its first learning rate while the rest follows the schedule."""

import keras


class SimSiamSGD(keras.optimizers.SGD):
    """`keras.optimizers.SGD` that holds the learning rate of some variables at its first value.

    SimSiam's code (facebookresearch/simsiam `main_simsiam.py --fix-pred-lr`, Chen & He
    2021) decays the encoder's learning rate on a cosine and keeps the predictor's at the
    initial one. The rate of the first step (kept in the variable `fixed_learning_rate`) is
    held for `fixed_variables`: their gradients are scaled by `lr_0 / lr_t`, the same step
    as `lr_0` on the raw gradient, because Keras' SGD (with or without momentum or
    Nesterov) multiplies each gradient by the rate before it enters the momentum. The
    decoupled weight decay (`weight_decay`) follows `lr_t` for every variable. At `lr_t = 0`
    the fixed variables stay unchanged.

    Args:
        fixed_variables: list of `keras.Variable`. The variables whose rate is held.
        **kwargs: `keras.optimizers.SGD`'s (`learning_rate` a float or a schedule).
    """

    def __init__(self, fixed_variables=(), **kwargs):
        super().__init__(**kwargs)
        self._fixed = {id(variable) for variable in fixed_variables}

    def build(self, variables):
        if self.built:
            return
        super().build(variables)
        # Set at the first step (inside the compiled step: the rate may be a schedule).
        self.fixed_learning_rate = self.add_variable(
            shape=(), initializer="zeros", name="fixed_learning_rate", aggregation="only_first_replica"
        )

    def apply(self, grads, trainable_variables=None):
        if not self.built:
            self.build(trainable_variables)
        variables = self._trainable_variables if trainable_variables is None else trainable_variables
        rate = keras.ops.cast(self.learning_rate, "float32")
        first = keras.ops.equal(keras.ops.convert_to_tensor(self.iterations), 0)
        fixed = keras.ops.where(first, rate, keras.ops.convert_to_tensor(self.fixed_learning_rate))
        self.fixed_learning_rate.assign(fixed)
        scale = keras.ops.where(rate > 0, fixed / keras.ops.maximum(rate, 1e-30), 0.0)
        grads = [
            g if g is None or id(v) not in self._fixed else keras.ops.multiply(g, keras.ops.cast(scale, g.dtype))
            for g, v in zip(grads, variables)
        ]
        return super().apply(grads, trainable_variables)
