"""DINO: a student matches a momentum teacher's centered, sharpened distribution over crops."""

import keras

from ssl_zoo import arguments
from ssl_zoo import augmentations
from ssl_zoo import layers
from ssl_zoo.models.dino.dino_head import DINOHead
from ssl_zoo.models.dino.dino_loss import dino_loss
from ssl_zoo.models.dino.dino_state import DINOState
from ssl_zoo.models.image_inputs import as_image_array
from ssl_zoo.models.image_ssl_task import ImageSSLTask
from ssl_zoo.models.training_steps import fit_steps
from ssl_zoo.models.training_steps import schedule_for_fit


@keras.saving.register_keras_serializable(package="ssl_zoo")
class DINO(ImageSSLTask):
    """DINO pretraining task: self-distillation with no labels, on multi-crop views.

    Caron et al., "Emerging Properties in Self-Supervised Vision Transformers" (ICCV 2021),
    as the official code (facebookresearch/dino `main_dino.py`). Each batch of `B` images
    gives 2 global views and `num_local_crops` local crops at a smaller size
    (`ssl_zoo.augmentations.MultiCropAugmentation`). The student (backbone, global average
    pooling, `DINOHead`) runs on every crop: the global views together and the local crops
    together, so BatchNormalization takes each resolution's batch statistics, as the
    official `MultiCropWrapper`. The teacher, an exponential moving average of the student
    (`ssl_zoo.layers.MomentumTarget`, momentum on a cosine from `momentum` to 1, updated at
    the start of each step from the weights the last step left: the official update after
    the optimizer step), runs on the 2 global views alone, in training mode. The loss
    (`dino_loss`) scores each crop's student distribution (temperature
    `student_temperature`) against the teacher's of each other global view, centered and
    sharpened; after it the center moves towards the global batch's mean teacher output
    (`DINOState`, momentum `center_momentum`).

    Schedules by epoch, as the official code: the teacher's temperature rises linearly from
    `warmup_teacher_temperature` to `teacher_temperature` over
    `warmup_teacher_temperature_epochs` epochs; the last layer's gradient is cancelled in the
    first `freeze_last_layer_epochs` epochs (`NormalizedPrototypes.gradient_scale`). `fit`
    sets the epoch length from its arguments. The default optimizer clips each weight's
    gradient to norm `clip_norm` (the official `clip_gradients`, per parameter: Keras's
    `clipnorm`); under data parallelism the clip acts on the summed gradient.

    Defaults for small images (the paper's ImageNet settings in brackets): head
    `hidden_dim=512`, `bottleneck_dim=128`, `num_prototypes=4096` [2048, 256, 65536]; 6 local
    crops at 3/7 of the image side [10 at 96 px for 224 px]; the optimizer `PretextTask`'s
    AdamW (learning rate 1e-3, weight decay 1e-6) with `clip_norm` 3.0 [AdamW 5e-4 x B / 256,
    weight decay 0.04 to 0.4]. The representation is the student's backbone (`embed`), which
    presets and classifiers reuse; the paper evaluates the teacher's.

    Inputs are pixel values in [0, 255] `(B, H, W, C)`. The model's outputs are a dict:
    `"student"` `((2 + num_local_crops) B, num_prototypes)`, the student's logits on the
    global views a, b, then each local crop; and `"global_views"` `(2B, H, W, C)`, which the
    teacher scores in the loss; outside training the images are their own views.

    Args:
        backbone: `keras_hub.models.Backbone` mapping images in [0, 1] to a feature map; it
            must take the local crops' size too (its input size check is relaxed to that).
        num_prototypes: int. Outputs `K` of the head.
        hidden_dim: int. Hidden width of the head's MLP.
        bottleneck_dim: int. Output width of the head's MLP.
        momentum: float in [0, 1]. The teacher's momentum at the first step (0.996).
        student_temperature: float > 0 (0.1).
        teacher_temperature: float > 0. The teacher's temperature after the warmup (0.07).
        warmup_teacher_temperature: float in (0, teacher_temperature] (0.04).
        warmup_teacher_temperature_epochs: int >= 0 (30).
        center_momentum: float in [0, 1] (0.9).
        freeze_last_layer_epochs: int >= 0 (1).
        clip_norm: float > 0 or None. The default optimizer's per-weight gradient norm clip.
        num_local_crops, local_size, global_crop_scale, local_crop_scale, jitter_strength,
            blur_probabilities, solarize_probabilities, local_blur_probability, seed:
            `MultiCropAugmentation`'s.
        feature_grid: int >= 1. Cells per side of the representation's grid (see
            `ImageSSLTask.feature_extractor`).

    Example:
    ```python
    (x_train, _), _ = ssl_zoo.data.load_fashion_mnist()
    backbone = ssl_zoo.backbones.SmallResNetBackbone(image_shape=(28, 28, 1))
    model = ssl_zoo.models.DINO(backbone)
    model.compile()
    model.fit(x_train, batch_size=256, epochs=10)
    model.save_to_preset("dino_fashion_mnist")
    ```
    """

    def __init__(
        self,
        backbone,
        num_prototypes=4096,
        hidden_dim=512,
        bottleneck_dim=128,
        momentum=0.996,
        student_temperature=0.1,
        teacher_temperature=0.07,
        warmup_teacher_temperature=0.04,
        warmup_teacher_temperature_epochs=30,
        center_momentum=0.9,
        freeze_last_layer_epochs=1,
        clip_norm=3.0,
        num_local_crops=6,
        local_size=None,
        global_crop_scale=(0.4, 1.0),
        local_crop_scale=(0.05, 0.4),
        jitter_strength=0.5,
        blur_probabilities=(1.0, 0.1),
        solarize_probabilities=(0.0, 0.2),
        local_blur_probability=0.5,
        seed=None,
        feature_grid=3,
        preprocessor=None,
        **kwargs,
    ):
        arguments.check_unit_interval(
            "momentum", momentum, " (the teacher's momentum at the first step, rising to 1; 0.996 in the paper)"
        )
        arguments.check_unit_interval("center_momentum", center_momentum, " (0.9 in the paper)")
        for name, value in (("student_temperature", student_temperature), ("teacher_temperature", teacher_temperature),
                            ("warmup_teacher_temperature", warmup_teacher_temperature)):
            arguments.check_positive(name, value)
        if warmup_teacher_temperature > teacher_temperature:
            raise ValueError(
                "warmup_teacher_temperature must be <= teacher_temperature: the teacher's temperature "
                "rises to teacher_temperature during the warmup (0.04 to 0.07 in the paper; above 0.07 "
                f"training is unstable). Received: warmup_teacher_temperature={warmup_teacher_temperature!r}, "
                f"teacher_temperature={teacher_temperature!r}"
            )
        arguments.check_int("warmup_teacher_temperature_epochs", warmup_teacher_temperature_epochs, 0, " (epochs)")
        arguments.check_int("freeze_last_layer_epochs", freeze_last_layer_epochs, 0, " (epochs)")
        if clip_norm is not None:
            arguments.check_positive("clip_norm", clip_norm, " (or None: no clipping)")
        self.clip_norm = clip_norm  # read by default_optimizer, which the constructor calls
        # === Layers and Functional Model ===
        self.build_image_layers(backbone, feature_grid, preprocessor)
        height, width, channels = backbone.input_shape[1:]
        self.views = augmentations.MultiCropAugmentation(
            height, width, num_local_crops=num_local_crops, local_size=local_size,
            global_crop_scale=global_crop_scale, local_crop_scale=local_crop_scale, jitter_strength=jitter_strength,
            blur_probabilities=blur_probabilities, solarize_probabilities=solarize_probabilities,
            local_blur_probability=local_blur_probability, seed=seed, name="views",
        )
        self.head = DINOHead(hidden_dim, bottleneck_dim, num_prototypes, name="head")
        self.accept_smaller_images()  # the local crops
        crop = keras.Input(shape=(None, None, channels), name="crops")
        features = keras.layers.GlobalAveragePooling2D(name="features")(backbone(crop))
        self.encoder = keras.Model(crop, self.head(features), name="encoder")
        inputs = keras.Input(shape=(height, width, channels), name="images")
        crops = self.views(self.rescaling(inputs))
        student = keras.layers.Concatenate(axis=0, name="student")([self.encoder(c) for c in crops])
        super().__init__(inputs=inputs, outputs={"student": student, "global_views": crops[0]}, **kwargs)
        # Outside the graph (they run in the loss), so made after it: a layer assigned before
        # the functional model's constructor is not tracked under torch (Keras 3.15.1).
        self.target = layers.MomentumTarget(self.encoder, momentum, schedule="cosine", name="teacher")
        self.state = DINOState(
            num_prototypes, center_momentum, teacher_temperature, warmup_teacher_temperature,
            warmup_teacher_temperature_epochs, freeze_last_layer_epochs, name="state",
        )

        # === Config ===
        self.num_prototypes = num_prototypes
        self.hidden_dim = hidden_dim
        self.bottleneck_dim = bottleneck_dim
        self.momentum = float(momentum)
        self.student_temperature = float(student_temperature)
        self.teacher_temperature = float(teacher_temperature)
        self.warmup_teacher_temperature = float(warmup_teacher_temperature)
        self.warmup_teacher_temperature_epochs = warmup_teacher_temperature_epochs
        self.center_momentum = float(center_momentum)
        self.freeze_last_layer_epochs = freeze_last_layer_epochs

    def default_optimizer(self):
        """`PretextTask`'s AdamW, each weight's gradient clipped to norm `clip_norm`."""
        optimizer = super().default_optimizer()
        optimizer.clipnorm = self.clip_norm
        return optimizer

    def fit(self, x=None, y=None, batch_size=None, epochs=1, steps_per_epoch=None, initial_epoch=0, **kwargs):
        """`keras.Model.fit` on images alone; the teacher's momentum reaches 1 at its last step,
        and the schedules by epoch count epochs of this fit's length."""
        x = as_image_array(x, "x")
        schedule_for_fit(self.target, type(self).__name__, x, batch_size, epochs, steps_per_epoch, initial_epoch)
        self.state.set_steps_per_epoch(fit_steps(x, batch_size, 1, steps_per_epoch) or 0)
        step = keras.ops.convert_to_numpy(self.target.step)
        self.head.prototypes.gradient_scale.assign(keras.ops.convert_to_numpy(self.state.last_layer_gradient_scale(step)))
        return super().fit(
            x, y, batch_size=batch_size, epochs=epochs, steps_per_epoch=steps_per_epoch,
            initial_epoch=initial_epoch, **kwargs,
        )

    def pretext_loss(self, x, y, y_pred, sample_weight):
        # The update first: the teacher of this step averages the weights the last step left.
        self.target.update()
        step = self.target.step - 1  # this step, from 0
        teacher = self.target(y_pred["global_views"])  # (2B, K), both views' batch statistics
        # A copy: torch refuses to assign a variable (the center, below) that the step read.
        center = keras.ops.copy(self.state.center)
        loss = dino_loss(
            y_pred["student"], teacher, center, self.student_temperature, self.state.teacher_temperature(step)
        )
        self.state.update_center(teacher)
        # For the next step's forward pass, which reads it.
        self.head.prototypes.gradient_scale.assign(self.state.last_layer_gradient_scale(step + 1))
        return loss

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "num_prototypes": self.num_prototypes,
                "hidden_dim": self.hidden_dim,
                "bottleneck_dim": self.bottleneck_dim,
                "momentum": self.momentum,
                "student_temperature": self.student_temperature,
                "teacher_temperature": self.teacher_temperature,
                "warmup_teacher_temperature": self.warmup_teacher_temperature,
                "warmup_teacher_temperature_epochs": self.warmup_teacher_temperature_epochs,
                "center_momentum": self.center_momentum,
                "freeze_last_layer_epochs": self.freeze_last_layer_epochs,
                "clip_norm": self.clip_norm,
                **self.views.view_config(),
            }
        )
        return config
