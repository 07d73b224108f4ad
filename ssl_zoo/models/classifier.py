"""The base of the fine-tuning classifiers: a head of logits on a pretrained backbone."""

import keras

from ssl_zoo.models import preset_io
from ssl_zoo.models.classifier_inputs import prepare_labels
from ssl_zoo.models.ssl_task import SSLTask


class Classifier(SSLTask):
    """`SSLTask` trained on labels: checked `(x, y)`, cross-entropy on logits, accuracy.

    `from_preset` builds on the backbone of any ssl_zoo preset whose backbone fits
    `backbone_cls` (the pretraining head is dropped) and needs `num_classes` then; a
    classifier's own preset loads whole, head included.
    """

    builds_on_any_task = True
    # The peak of `evaluation.warmup_cosine` in fine-tuning (docs/decisions.md, "Fine-tuning
    # learning rate").
    default_learning_rate = 1e-3

    @classmethod
    def classifier_class(cls):
        """This class: a classifier's preset fine-tunes as itself."""
        return cls

    @classmethod
    def preset_kwargs(cls, path, kwargs):
        if "num_classes" not in kwargs and not preset_io.preset_task_is(path, cls):
            raise ValueError(
                f"{cls.__name__}.from_preset() on a pretraining preset needs the number of "
                f"classes: pass num_classes=K (K >= 2). Received: preset folder {path}"
            )
        return kwargs

    def compile(self, optimizer="auto", loss="auto", metrics="auto", learning_rate=None, **kwargs):
        """AdamW at `learning_rate` (None: `default_learning_rate`; a float or a schedule such
        as `ssl_zoo.evaluation.warmup_cosine`), sparse cross-entropy on logits and accuracy
        unless given."""
        if optimizer == "auto":
            if learning_rate is None:
                learning_rate = self.default_learning_rate
            optimizer = keras.optimizers.AdamW(learning_rate=learning_rate)
        if loss == "auto":
            loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
        if metrics == "auto":
            metrics = [keras.metrics.SparseCategoricalAccuracy(name="accuracy")]
        super().compile(optimizer=optimizer, loss=loss, metrics=metrics, **kwargs)

    def set_backbone_trainable(self, trainable):
        """Train the backbone with the head (True) or the head alone (False); `compile` after."""
        self.backbone.trainable = trainable

    def fit(self, x=None, y=None, *args, **kwargs):
        return super().fit(x, prepare_labels(y, x, self.num_classes), *args, **kwargs)

    def evaluate(self, x=None, y=None, *args, **kwargs):
        return super().evaluate(x, prepare_labels(y, x, self.num_classes), *args, **kwargs)

    def get_config(self):
        config = super().get_config()
        config.update({"num_classes": self.num_classes, "dropout": self.dropout})
        return config
