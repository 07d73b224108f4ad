"""Unlabeled image batches from the data pipelines users bring: tf.data and a torch DataLoader."""


def unlabeled_image_sources(images, batch_size=8):
    """`[tf.data.Dataset, torch.utils.data.DataLoader]` yielding batches of `images` only.

    Args:
        images: float32 array `(n, H, W, C)`.
        batch_size: int. Images per batch.
    """
    import tensorflow as tf
    import torch

    return [
        tf.data.Dataset.from_tensor_slices(images).batch(batch_size),
        torch.utils.data.DataLoader(
            torch.utils.data.TensorDataset(torch.from_numpy(images)), batch_size=batch_size
        ),
    ]
