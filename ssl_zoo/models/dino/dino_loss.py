"""DINO's loss: each student crop's distribution against the teacher's of the other global views."""

import keras


def dino_loss(student_logits, teacher_logits, center, student_temperature=0.1, teacher_temperature=0.04):
    """Cross-entropy of the sharpened, centered teacher against the student, over crop pairs.

    Caron et al. 2021, Eq. 1 and Alg. 1, as the official `DINOLoss`:
    `P_t = sg(softmax((t - c) / teacher_temperature))` for each of the 2 global views,
    `log P_s = log_softmax(s / student_temperature)` for each of the `V` crops, and the
    loss is the mean over every pair (global view `i`, crop `v != i`) of
    `mean_n(-sum_k P_t[i, n, k] log P_s[v, n, k])`: `2 (V - 1)` pairs. Computed in float32.

    Args:
        student_logits: `(V * N, K)`, the student's outputs on crop 1 of the `N` images, then
            crop 2, ...; crops 1 and 2 are the global views the teacher saw, in its order.
        teacher_logits: `(2 * N, K)`, the teacher's outputs on the 2 global views. No
            gradient flows into them.
        center: `(K,)`, the teacher's center.
        student_temperature: float > 0 (0.1 in the paper).
        teacher_temperature: float or scalar tensor > 0 (0.04 to 0.07 in the paper).

    Returns:
        The loss, a float32 scalar. Its floor is the teacher's mean entropy; a collapsed
        pair (both uniform) scores `ln K`.
    """
    student = keras.ops.cast(student_logits, "float32")
    teacher = keras.ops.stop_gradient(keras.ops.cast(teacher_logits, "float32"))
    _check_shapes(student, teacher, center)
    prototypes = teacher.shape[1]
    n = keras.ops.shape(teacher)[0] // 2  # known only at run time in a traced TensorFlow step
    teacher_probabilities = keras.ops.softmax(
        (teacher - keras.ops.cast(center, "float32")) / teacher_temperature, axis=-1
    )
    student_log_probabilities = keras.ops.log_softmax(student / student_temperature, axis=-1)
    # cross[i, v] = mean_n -sum_k P_t[i] log P_s[v]: every (global view, crop) pair at once.
    cross = -keras.ops.einsum(
        "ink,vnk->iv",
        keras.ops.reshape(teacher_probabilities, (2, n, prototypes)),
        keras.ops.reshape(student_log_probabilities, (-1, n, prototypes)),
    ) / keras.ops.cast(n, "float32")
    same_view = keras.ops.trace(cross[:, :2])  # a global view is not scored against itself
    pairs = 2 * (keras.ops.cast(keras.ops.shape(cross)[1], "float32") - 1)
    return (keras.ops.sum(cross) - same_view) / pairs


def _check_shapes(student, teacher, center):
    """Refuse what the shapes known now show to be wrong (a traced step may not know `N`)."""
    rows = teacher.shape[0]
    if len(teacher.shape) != 2 or (rows is not None and (rows % 2 or not rows)):
        raise ValueError(
            "teacher_logits must be (2 * N, K): the teacher's outputs on the 2 global views of N "
            f"images. Received: teacher_logits.shape={tuple(teacher.shape)}"
        )
    n = None if rows is None else rows // 2
    crops = student.shape[0]
    if (
        len(student.shape) != 2
        or student.shape[1] != teacher.shape[1]
        or (n is not None and crops is not None and (crops % n or crops < 2 * n))
    ):
        raise ValueError(
            f"student_logits must be (V * N, K) with V >= 2 crops of the N = {n} images the teacher "
            f"saw and its K = {teacher.shape[1]} outputs. Received: student_logits.shape="
            f"{tuple(student.shape)}, teacher_logits.shape={tuple(teacher.shape)}"
        )
    if tuple(center.shape) != (teacher.shape[1],):
        raise ValueError(
            f"center must be (K,) = ({teacher.shape[1]},), one entry per output. Received: "
            f"center.shape={tuple(center.shape)}"
        )
