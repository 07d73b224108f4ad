"""Pictures people would rather look at than read: label-efficiency curves, embeddings."""

import io

import numpy as np

from ssl_zoo import files


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    return pyplot


def _save(figure, path):
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=120, bbox_inches="tight")
    files.write_file(path, lambda f: f.write(buffer.getvalue()))


def plot_label_efficiency(report, path, title=None):
    """Test accuracy against the share of labels, one line per row of `report`.

    Args:
        report: dict from `label_efficiency` (`fractions`, `accuracy`).
        path: str. PNG file to write (atomically).
        title: str. Default: the preset's name.
    """
    pyplot = _pyplot()
    figure, axes = pyplot.subplots(figsize=(6, 4))
    fractions = np.asarray(report["fractions"]) * 100
    for name, values in report["accuracy"].items():
        axes.plot(fractions, np.asarray(values) * 100, marker="o", label=name)
    axes.set_xscale("log")
    axes.set_xticks(fractions, [f"{f:g}%" for f in fractions])
    axes.set_xlabel("labeled training examples used")
    axes.set_ylabel("test accuracy (%)")
    axes.set_title(title or f"Label efficiency of {report['preset']}")
    axes.grid(True, alpha=0.3)
    axes.legend()
    _save(figure, path)
    pyplot.close(figure)


def plot_embedding(features, labels, path, label_names=None, method="pca", max_points=2000, seed=0, title=None):
    """A 2-D map of `features` (PCA or t-SNE), each point colored by its class.

    Up to 10 classes get a color each; with more (WordNet's 45 lexicographer files), the 9
    largest get colors and the rest share a gray, so that every color in the legend means
    one class.

    Args:
        features: float array `(n, d)`.
        labels: int array `(n,)`.
        path: str. PNG file to write (atomically).
        label_names: list of str, the legend's class names. Default: the class ids.
        method: `"pca"` (fast, linear) or `"tsne"` (neighbourhoods, slower).
        max_points: int. A random subset of this many points is drawn.
        seed: int. Seed of the subset and of t-SNE.
        title: str.
    """
    if method not in ("pca", "tsne"):
        raise ValueError(f"method must be 'pca' or 'tsne'. Received: method={method!r}")
    features = np.asarray(features, dtype=np.float64)
    labels = np.asarray(labels).reshape(-1)
    if features.ndim != 2 or len(features) != len(labels) or len(features) < 3:
        raise ValueError(
            "features must be (n, d) with one label per row and n >= 3. Received: "
            f"features.shape={features.shape}, {len(labels)} labels"
        )
    rng = np.random.default_rng(seed)
    keep = rng.choice(len(features), size=min(max_points, len(features)), replace=False)
    features, labels = features[keep], labels[keep]
    if method == "pca":
        centered = features - features.mean(axis=0)
        _, _, components = np.linalg.svd(centered, full_matrices=False)
        points = centered @ components[:2].T
    else:
        from sklearn.manifold import TSNE

        points = TSNE(n_components=2, init="pca", random_state=seed).fit_transform(features)
    pyplot = _pyplot()
    figure, axes = pyplot.subplots(figsize=(6, 5))
    tab10 = pyplot.get_cmap("tab10")
    colors = [tab10(i) for i in (0, 1, 2, 3, 4, 5, 6, 8, 9, 7)]  # its gray last: only a 10th class gets it
    for index, (name, members) in enumerate(legend_groups(labels, label_names)):
        if name is None:  # the classes beyond the legend: gray, underneath the others
            style = dict(color="lightgray", zorder=1, label=f"{len(np.unique(labels[members]))} other classes")
        else:
            style = dict(color=colors[index], zorder=2, label=name)
        axes.scatter(points[members, 0], points[members, 1], s=4, **style)
    axes.legend(markerscale=3, fontsize="small", loc="center left", bbox_to_anchor=(1, 0.5))
    axes.set_xticks([])
    axes.set_yticks([])
    axes.set_title(title or f"{method.upper() if method == 'pca' else 't-SNE'} of the representation")
    _save(figure, path)
    pyplot.close(figure)


def legend_groups(labels, label_names=None, max_groups=10):
    """`[(class name, members mask)]` to color; with too many classes, the rest as `(None, mask)`.

    Args:
        labels: int array `(n,)`.
        label_names: list of str indexed by label, or None for the class ids.
        max_groups: int. Most entries in the legend, the gray "other" one included.

    Returns:
        list of `(name, bool array (n,))`, largest classes first when some are grouped.
    """
    classes, counts = np.unique(labels, return_counts=True)
    if len(classes) > max_groups:
        classes = classes[np.argsort(-counts, kind="stable")[: max_groups - 1]]
    name = lambda label: label_names[label] if label_names is not None else str(label)
    groups = [(name(label), labels == label) for label in classes]
    rest = ~np.isin(labels, classes)
    return groups + [(None, rest)] if rest.any() else groups
