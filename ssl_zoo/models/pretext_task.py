"""The base of every self-supervised method: a pretext loss, correct on any number of replicas."""

import keras

from ssl_zoo import distribution
from ssl_zoo.models.ssl_task import SSLTask


class PretextTask(SSLTask):
    """`SSLTask` that learns from unlabeled data through a pretext: what a method writes.

    A method writes its pretext: the layers that make views or targets and its heads (in
    its constructor, as a functional model), and `pretext_loss`. This base owns the rest:

    - `compile()` takes `default_optimizer()` unless an optimizer is given;
    - `compute_loss` adds the layers' own losses (`add_loss`, regularizers) to the pretext
      loss and hands the sum to `ssl_zoo.distribution.replica_loss`, so that one step on `K`
      data-parallel replicas equals one step on the global batch whatever the engine (see
      `ssl_zoo.distribution.DataParallel`);
    - `embed(x)` is the representation to reuse, for every modality: evaluation, the
      command line and the tools read it and nothing else.

    Class attributes:
        modality: `"images"` or `"texts"`: what `fit` and `embed` take.
        has_held_out_loss: bool. Whether `evaluate` can score held-out data; tasks whose
            pretext is made only while training (random views) refuse it.
    """

    modality = None
    has_held_out_loss = True

    def default_optimizer(self):
        """AdamW, learning rate 1e-3, weight decay 1e-6."""
        return keras.optimizers.AdamW(learning_rate=1e-3, weight_decay=1e-6)

    def compile(self, optimizer="auto", learning_rate=None, weight_decay=None, **kwargs):
        """Compile with `default_optimizer()` unless an optimizer is given.

        `learning_rate` (a float or a schedule) and `weight_decay` (a float) replace the
        default optimizer's when given; a given optimizer carries its own. The loss is the
        task's `pretext_loss` and is not set here.
        """
        if optimizer == "auto":
            optimizer = self.default_optimizer()
            if learning_rate is not None:
                optimizer.learning_rate = learning_rate
            if weight_decay is not None:
                optimizer.weight_decay = weight_decay
        elif learning_rate is not None or weight_decay is not None:
            raise ValueError(
                "learning_rate and weight_decay set the default optimizer's; pass them to your "
                f"optimizer instead. Received: optimizer={optimizer!r}, learning_rate="
                f"{learning_rate!r}, weight_decay={weight_decay!r}"
            )
        super().compile(optimizer=optimizer, **kwargs)

    def pretext_loss(self, x, y, y_pred, sample_weight):
        """The method's loss on this replica's batch, a float32 scalar.

        Args:
            x: the batch `fit` passes (images in [0, 255], or the preprocessor's output).
            y: the targets the preprocessor made, or None.
            y_pred: the model's outputs on `x` in training mode.
            sample_weight: the preprocessor's weights, or None.

        A loss over the batch of one replica (a mean over its examples) or over the
        global batch gathered with `ssl_zoo.distribution.gather_replicas` is right as it is:
        the base scales it for the engine.
        """
        raise NotImplementedError(f"{type(self).__name__} must define pretext_loss")

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        loss = self.pretext_loss(x, y, y_pred, sample_weight)
        if self.losses:
            loss = loss + keras.ops.sum(self.losses)
        return distribution.replica_loss(loss)

    def evaluate(self, *args, **kwargs):
        if not self.has_held_out_loss:
            raise ValueError(
                f"{type(self).__name__} has no held-out loss: its pretext is made only while "
                "training. Measure the representation with ssl_zoo.evaluation (kNN, linear "
                "probe) or the ssl_zoo.evaluation.KNNMonitor callback."
            )
        return super().evaluate(*args, **kwargs)

    def embed(self, x, batch_size=256, verbose=0):
        """The representation of each example of `x`: float32 NumPy `(n, features)`."""
        raise NotImplementedError(f"{type(self).__name__} must define embed")

    @classmethod
    def classifier_class(cls):
        """The `Classifier` fine-tuned from this task's presets."""
        raise NotImplementedError(f"{cls.__name__} must define classifier_class")
