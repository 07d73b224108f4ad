"""The streaming input pipeline (`ssl_zoo.data.ImageStream`) on folders of JPEGs it generates.

    python tools/bench_input.py [--root DIR] [--backend jax] [--json]

Prints, each beside its baseline measured in the same run:
- decoded images/s of one pass of the stream over 10,000 JPEGs at 96x96 and at 224x224;
- peak resident memory of a pass over 10,000 and over 50,000 files (96x96), against reading
  the same files into memory (`ImageStream.read`, the loader `load_image_folder` uses): the
  stream's must not grow with the number of files, the in-memory loader's grows linearly;
- the step time of SimCLR pretraining (`fit`) from the folder against the same images in
  memory, on the running backend.
Every measure runs in a fresh process (`--child`), so peak memory is its own. The folders
are written once under `--root` and reused.
"""

import argparse
import concurrent.futures
import json
import os
import resource
import subprocess
import sys
import time

import numpy as np

FOLDERS = {96: 50_000, 224: 10_000}  # image size -> files generated
MEMORY_COUNTS = (10_000, 50_000)
STEP_CASES = ((96, 64), (224, 16))  # image size, batch size of the SimCLR steps (2 CPU cores)


def make_folder(root, size, count):
    """`root/jpeg<size>`, `count` smooth random RGB JPEGs (quality 90) in 100-file sub-folders."""
    from PIL import Image

    folder = os.path.join(root, f"jpeg{size}")
    done = os.path.join(folder, ".complete")
    if os.path.exists(done):
        return folder

    def write(i):
        rng = np.random.default_rng(i)
        coarse = Image.fromarray(rng.integers(0, 256, (6, 6, 3), dtype=np.uint8))
        path = os.path.join(folder, f"{i // 100:04d}", f"{i:06d}.jpg")
        coarse.resize((size, size), Image.Resampling.BICUBIC).save(path, quality=90)

    for block in range(0, count, 100):
        os.makedirs(os.path.join(folder, f"{block // 100:04d}"), exist_ok=True)
    print(f"Writing {count:,} JPEGs of {size}x{size} to {folder}", file=sys.stderr)
    with concurrent.futures.ThreadPoolExecutor(os.cpu_count()) as pool:
        list(pool.map(write, range(count)))
    open(done, "w").close()
    return folder


def peak_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child_pass(folder, count):
    """One pass of the stream over the first `count` files: images/s and peak memory."""
    from ssl_zoo import data

    files = data.list_image_folder(folder)[0][:count]
    stream = data.ImageStream(files)
    start, seen = time.perf_counter(), 0
    for batch in stream.dataset(batch_size=256, shuffle=True).take(stream.steps_per_epoch(256)):
        seen += int(batch.shape[0])
    return {"images_per_s": seen / (time.perf_counter() - start), "peak_mib": peak_mib()}


def child_in_memory(folder, count):
    """The first `count` files read into one array: images/s and peak memory."""
    from ssl_zoo import data

    stream = data.ImageStream(data.list_image_folder(folder)[0][:count])
    start = time.perf_counter()
    images, _ = stream.read()
    return {"images_per_s": len(images) / (time.perf_counter() - start), "peak_mib": peak_mib(),
            "array_mib": images.nbytes / 2**20}


class StepClock:
    """Wall time between the ends of consecutive training steps after `warmup` steps: the
    step itself and the wait for its batch."""

    def __init__(self, warmup):
        import keras

        class Clock(keras.callbacks.Callback):
            def on_train_batch_end(inner, batch, logs=None):
                self.ends.append(time.perf_counter())

        self.warmup, self.ends, self.callback = warmup, [], Clock()

    def median(self):
        return float(np.median(np.diff(self.ends[self.warmup :])))


def child_steps(folder, batch_size, steps):
    """SimCLR step time fitting from the stream and from the same images in memory."""
    import keras

    from ssl_zoo import data
    from ssl_zoo import models
    from ssl_zoo.backbones import build_backbone

    warmup = 3
    files = data.list_image_folder(folder)[0][: batch_size * (steps + warmup)]
    stream = data.ImageStream(files)
    images, _ = stream.read()
    result = {"backend": keras.config.backend(), "batch_size": batch_size, "image_size": images.shape[1]}
    for source in ("memory", "folder", "memory_again"):
        keras.utils.set_random_seed(0)
        task = models.SimCLR(build_backbone("resnet_tiny", stream.image_shape))
        task.compile()
        clock = StepClock(warmup)
        if source == "folder":
            task.fit(stream.dataset(batch_size), steps_per_epoch=steps + warmup, shuffle=False,
                     verbose=0, callbacks=[clock.callback])
        else:
            task.fit(images, batch_size=batch_size, verbose=0, callbacks=[clock.callback])
        result[f"{source}_step_s"] = clock.median()
    return result


def run_child(*args):
    result = subprocess.run(
        [sys.executable, __file__, "--child", *map(str, args)],
        env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3"), capture_output=True, text=True,
    )
    if result.returncode:
        raise SystemExit(f"bench_input child {args} failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", default=os.path.join(os.environ.get("TMPDIR", "/tmp"), "ssl_zoo_bench_input"),
                        help="folder for the generated JPEGs (default: %(default)s)")
    parser.add_argument("--steps", type=int, default=6, help="timed SimCLR steps per source (default: %(default)s)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of lines")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, folder, *numbers = args.child
        work = {"pass": child_pass, "memory": child_in_memory, "steps": child_steps}[kind]
        print(json.dumps(work(folder, *map(int, numbers))))
        return

    folders = {size: make_folder(args.root, size, count) for size, count in FOLDERS.items()}
    results = {"decode": {}, "memory": {}, "steps": []}
    for size in FOLDERS:
        r = results["decode"][size] = run_child("pass", folders[size], 10_000)
        say(args, f"decode {size}x{size}: {r['images_per_s']:,.0f} images/s (one pass over 10,000 JPEGs)")
    for count in MEMORY_COUNTS:
        results["memory"][count] = {
            "stream": run_child("pass", folders[96], count),
            "in_memory": run_child("memory", folders[96], count),
        }
    small, large = (results["memory"][c] for c in MEMORY_COUNTS)
    for kind in ("stream", "in_memory"):
        say(args, f"peak memory, {kind}: {small[kind]['peak_mib']:,.0f} MiB for {MEMORY_COUNTS[0]:,} files, "
            f"{large[kind]['peak_mib']:,.0f} MiB for {MEMORY_COUNTS[1]:,}, "
            f"ratio {large[kind]['peak_mib'] / small[kind]['peak_mib']:.2f}")
    for size, batch_size in STEP_CASES:
        r = run_child("steps", folders[size], batch_size, args.steps)
        results["steps"].append(r)
        memory = (r["memory_step_s"] + r["memory_again_step_s"]) / 2
        say(args, f"SimCLR resnet_tiny {size}x{size}, batch {batch_size}, {r['backend']}: "
            f"{r['folder_step_s']:.3f} s/step from the folder, {memory:.3f} s/step in memory (mean of "
            f"a run before and after: {r['memory_step_s']:.3f}, {r['memory_again_step_s']:.3f}), ratio "
            f"{r['folder_step_s'] / memory:.3f}; {batch_size / r['folder_step_s']:.1f} images/s from the folder")
    if args.json:
        print(json.dumps(results))


def say(args, line):
    """A result as soon as it is measured: on stdout, or on stderr when stdout is for JSON."""
    print(line, file=sys.stderr if args.json else sys.stdout, flush=True)


if __name__ == "__main__":
    main()
