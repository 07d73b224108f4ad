"""Train the built-in presets into presets/<name>/, reproducibly, with their measured metrics.

Each preset is one or more `ssl-zoo pretrain` runs, each training further from the one before
(`--init-preset`), with a fixed seed and a checkpoint after every epoch: rerun the same command
after an interruption and it resumes, reusing finished stages. Then comes a measurement on the held-out
test set (linear probes with 1%, 10% and 100% of the labels, kNN with all of them). The
preset folder gets a `metadata.json` with those metrics, the exact command, the backend,
the package versions and a SHA-256 of the training data, and replaces presets/<name>/ in
one rename.

    python tools/build_presets.py simclr_resnet_fashion_mnist [--backend tensorflow]
    python tools/build_presets.py --all
"""

import argparse
import hashlib
import importlib.metadata
import json
import os
import platform
import shlex
import subprocess
import sys
import time

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PRESETS_DIR = os.path.join(ROOT, "presets")

# name -> (data, [`ssl-zoo pretrain` arguments of each stage]). A stage after the first trains
# further from the stage before, with a fresh cosine schedule. Budgets fit about 90 minutes on a
# 2-core CPU with TensorFlow (docs/decisions.md).
RECIPES = {
    # A 256-wide last stage, temperature 0.2 and jitter strength 1.0, each chosen on a
    # validation split of the training images (docs/decisions.md).
    "simclr_resnet_fashion_mnist": ("fashion_mnist", [
        ["simclr", "--backbone", "resnet_tiny_wide", "--temperature", "0.2", "--jitter-strength", "1.0",
         "--epochs", "16", "--batch-size", "256", "--schedule", "cosine", "--knn-every", "2"],
    ]),
    "autoencoder_resnet_fashion_mnist": ("fashion_mnist", [[
        "autoencoder", "--variant", "plain", "--backbone", "resnet_tiny", "--epochs", "4",
        "--batch-size", "256", "--schedule", "cosine", "--knn-every", "0",
    ]]),
    "mlm_bert_tiny_wordnet": ("wordnet", [
        ["mlm", "--backbone", "bert_tiny", "--epochs", "3", "--batch-size", "128",
         "--schedule", "cosine", "--knn-every", "0"],
        ["mlm", "--epochs", "4", "--batch-size", "128", "--schedule", "cosine", "--knn-every", "0"],
        ["mlm", "--epochs", "4", "--batch-size", "128", "--schedule", "cosine", "--knn-every", "0"],
    ]),
    "rotnet_resnet_fashion_mnist": ("fashion_mnist", [
        ["rotnet", "--backbone", "resnet_tiny", "--epochs", "1", "--batch-size", "128",
         "--schedule", "cosine", "--knn-every", "0"],
        ["rotnet", "--epochs", "2", "--batch-size", "128", "--schedule", "cosine", "--knn-every", "0"],
    ]),
}
PACKAGES = ("ssl-zoo", "keras", "keras-hub", "tensorflow", "jax", "torch", "numpy", "scikit-learn")
LABEL_FRACTIONS = (0.01, 0.1, 1.0)


def main():
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        epilog=f"Presets: {', '.join(RECIPES)}",
    )
    parser.add_argument("names", nargs="*", metavar="NAME", help="presets to build")
    parser.add_argument("--all", action="store_true", help="build every preset, in the order above")
    parser.add_argument("--backend", default="tensorflow", choices=("jax", "tensorflow", "torch"),
                        help="Keras backend to train on (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default: %(default)s)")
    parser.add_argument("--readme", action="store_true", help="only rewrite presets/README.md from the built presets")
    parser.add_argument("--remeasure", action="store_true",
                        help="train nothing: measure the named built presets again (after a change to how a "
                             "representation is read) and rewrite their metrics and presets/README.md")
    args = parser.parse_args()
    if args.readme:
        write_readme()
        return
    names = list(RECIPES) if args.all else args.names
    unknown = [name for name in names if name not in RECIPES]
    if not names or unknown:
        parser.error(f"name presets to build (or --all); unknown: {unknown}. Known: {', '.join(RECIPES)}")
    for name in names:
        if args.remeasure:
            remeasure(name)
        else:
            build(name, args.backend, args.seed)
        write_readme()


def build(name, backend, seed):
    data, stages = RECIPES[name]
    build_dir = os.path.join(ROOT, "build", "presets")
    pretrain_commands, train_seconds, previous = [], 0.0, None
    for number, stage_args in enumerate(stages, 1):
        last = number == len(stages)
        staged = os.path.join(build_dir, name if last else f"{name}.stage{number}")
        command = [sys.executable, "-m", "ssl_zoo", "--backend", backend, "pretrain", *stage_args,
                   "--data", data, "--seed", str(seed)]
        command += ["--init-preset", previous] if previous else []
        command += ["--out", staged, "--checkpoint-dir", f"{staged}.checkpoint"]
        train_seconds += train_stage(name, command, staged, reusable=not last)
        pretrain_commands.append(shlex.join(["ssl-zoo", *command[3:-2]]).replace(ROOT + "/", ""))
        previous = staged
    metrics = measure(staged, data, backend)
    metadata_file = os.path.join(staged, "metadata.json")
    with open(metadata_file) as f:
        metadata = json.load(f)
    metadata["ssl_zoo"] = {
        "name": name,
        "method": stages[0][0],
        "data": data,
        "data_sha256": data_sha256(data),
        "metrics": metrics,
        "command": shlex.join(["python", "tools/build_presets.py", name, "--backend", backend, "--seed", str(seed)]),
        "pretrain_commands": pretrain_commands,
        "backend": backend,
        "train_seconds": round(train_seconds),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs",
        "versions": versions(),
    }
    with open(metadata_file, "w") as f:
        json.dump(metadata, f, indent=2)
    from ssl_zoo import files

    files.write_folder(os.path.join(PRESETS_DIR, name), lambda tmp: _move_contents(staged, tmp))
    os.rmdir(staged)
    print(f"=== {name}: {json.dumps(metrics)} ({train_seconds:.0f} s of training)", flush=True)


def measure(folder, data, backend):
    """The metrics of the preset in `folder`, measured in a fresh process like a user's would be."""
    command = [sys.executable, __file__.replace("build_presets", "measure_preset"), folder, "--data", data]
    env = {**os.environ, "KERAS_BACKEND": backend}
    return json.loads(subprocess.run(command, check=True, env=env, capture_output=True, text=True).stdout)


def remeasure(name):
    """Measure the built preset `name` again, on its build backend, and rewrite its metrics."""
    folder = os.path.join(PRESETS_DIR, name)
    metadata_file = os.path.join(folder, "metadata.json")
    with open(metadata_file) as f:
        metadata = json.load(f)
    built = metadata["ssl_zoo"]
    built["metrics"] = measure(folder, built["data"], built["backend"])
    built["metrics_measured"] = f"{time.strftime('%Y-%m-%d')}, python tools/build_presets.py {name} --remeasure"
    from ssl_zoo import files

    files.write_file(metadata_file, lambda f: f.write(json.dumps(metadata, indent=2).encode()))
    print(f"=== {name}: {json.dumps(built['metrics'])} (measured again)", flush=True)


def train_stage(name, command, staged, reusable):
    """Run one `ssl-zoo pretrain` stage into `staged`; its training seconds.

    A `reusable` (not final) stage records its command and time beside its folder, and a later
    build with the same command reuses it instead of training it again.
    """
    record_file = f"{staged}.json"
    if reusable and os.path.isdir(staged) and os.path.isfile(record_file):
        with open(record_file) as f:
            record = json.load(f)
        if record["command"] == command[1:]:
            print(f"=== {name}: reusing {staged} ({record['train_seconds']:.0f} s of training)", flush=True)
            return record["train_seconds"]
    print(f"=== {name}: {shlex.join(command)}", flush=True)
    start = time.perf_counter()
    subprocess.run(command, check=True)
    seconds = time.perf_counter() - start
    if reusable:
        with open(record_file, "w") as f:
            json.dump({"command": command[1:], "train_seconds": seconds}, f)
    return seconds


README_HEADER = """# Built-in presets

Trained by `tools/build_presets.py` on a 2-core CPU; load any of them by name on any backend:
`ssl_zoo.models.SimCLR.from_preset("simclr_resnet_fashion_mnist")`, or fine-tune one with
`ssl_zoo.models.ImageClassifier.from_preset(name, num_classes=10)` /
`TextClassifier.from_preset("mlm_bert_tiny_wordnet", num_classes=45)`. Metrics are test-set
accuracies measured when the preset was built (`tools/measure_preset.py`; measured again by
`--remeasure` after a change to how a representation is read, see `metrics_measured` in its
metadata): linear probes on the frozen features (`ssl_zoo.evaluation.extract_features`: for the
image presets every stage's output averaged over a 3 x 3 grid of cells, for the text preset the
encoder output averaged over the tokens) with 1%, 10% and 100% of the training labels, and a
weighted kNN (k=200). Each folder's `metadata.json` holds the exact command, backend, package
versions and data hash.

| preset | method | data | backend | train time | linear 1% | linear 10% | linear 100% | kNN | command |
|---|---|---|---|---|---|---|---|---|---|
"""


def write_readme():
    """presets/README.md: one row per built preset, from its metadata.json."""
    rows = []
    for name in sorted(os.listdir(PRESETS_DIR)):
        try:
            with open(os.path.join(PRESETS_DIR, name, "metadata.json")) as f:
                built = json.load(f)["ssl_zoo"]
        except (OSError, ValueError, KeyError):
            continue
        metrics = built["metrics"]
        cells = [f"{metrics[key]:.1%}" for key in ("linear_probe_0.01", "linear_probe_0.1", "linear_probe_1", "knn_200")]
        rows.append(f"| `{name}` | {built['method']} | {built['data']} | {built['backend']} | "
                    f"{built['train_seconds'] / 60:.0f} min | {' | '.join(cells)} | `{built['command']}` |")
    with open(os.path.join(PRESETS_DIR, "README.md"), "w") as f:
        f.write(README_HEADER + "\n".join(rows) + "\n")


def _move_contents(source, target):
    for entry in os.listdir(source):
        os.rename(os.path.join(source, entry), os.path.join(target, entry))


def data_sha256(data):
    """SHA-256 of the training examples and labels, as loaded by `ssl_zoo.data`."""
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    import ssl_zoo

    loader = ssl_zoo.data.load_texts if data == "wordnet" else ssl_zoo.data.load_images
    (x_train, y_train), _, _ = loader(data)
    digest = hashlib.sha256()
    if isinstance(x_train, np.ndarray) and x_train.dtype != object:
        digest.update(np.ascontiguousarray(x_train).tobytes())
    else:
        for text in x_train:
            digest.update(str(text).encode("utf-8") + b"\0")
    if y_train is not None:
        digest.update(np.asarray(y_train, dtype=np.int64).tobytes())
    return digest.hexdigest()


def versions():
    found = {}
    for package in PACKAGES:
        try:
            found[package] = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            pass
    found["python"] = platform.python_version()
    return found


if __name__ == "__main__":
    main()
