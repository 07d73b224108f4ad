"""The shipped presets: present with their metrics, equal on every backend, found from a wheel."""

import glob
import os
import subprocess
import sys
import sysconfig

import keras
import numpy as np

import ssl_zoo
from ssl_zoo.models import preset_io
from ssl_zoo.testing.test_case import TestCase

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TEXTS = ["a small dog runs across the green field", "to move quickly on foot", "a sweet red fruit"]

# Writes each built-in preset's features of fixed inputs to an .npz (argv[1]).
_FEATURES_SCRIPT = """
import sys, numpy as np, ssl_zoo
from ssl_zoo.models import load_task
images = np.random.default_rng(0).integers(0, 256, (8, 28, 28)).astype("uint8")
texts = %r
features = {}
for row in ssl_zoo.presets():
    model = load_task(row["name"])
    inputs = texts if isinstance(model, ssl_zoo.models.MaskedLM) else images
    features[row["name"]] = ssl_zoo.evaluation.extract_features(model, inputs)
np.savez(sys.argv[1], **features)
""" % (TEXTS,)


def run_features_script(backend, path, python=sys.executable, cwd=None):
    env = dict(os.environ, KERAS_BACKEND=backend, TF_CPP_MIN_LOG_LEVEL="3")
    env.pop("PYTHONPATH", None)
    subprocess.run([python, "-c", _FEATURES_SCRIPT, path], env=env, check=True, capture_output=True, cwd=cwd)
    return dict(np.load(path))


class BuiltinPresetsTest(TestCase):
    def test_every_builtin_preset_ships_with_its_metrics(self):
        rows = ssl_zoo.presets()
        self.assertEqual(len(rows), 4)
        for row in rows:
            self.assertNotIn("status", row, row["name"])
            for key in ("linear_probe_0.01", "linear_probe_0.1", "linear_probe_1", "knn_200"):
                self.assertTrue(0.0 < row["metrics"][key] <= 1.0, (row["name"], key))
            folder = preset_io.builtin_presets()[row["name"]]["path"]
            size = sum(os.path.getsize(p) for p in glob.glob(os.path.join(folder, "**"), recursive=True) if os.path.isfile(p))
            self.assertLess(size, 10 * 2**20, row["name"])

    def test_readme_table_lists_every_preset(self):
        with open(os.path.join(ROOT, "presets", "README.md")) as f:
            readme = f.read()
        for row in ssl_zoo.presets():
            self.assertIn(f"| `{row['name']}` |", readme)
            self.assertIn(f"{row['metrics']['linear_probe_0.01']:.1%}", readme)

    def test_outputs_agree_across_backends(self):
        here = keras.config.backend()
        folder = self.get_temp_dir()
        mine = run_features_script(here, os.path.join(folder, f"{here}.npz"))
        for other in {"jax", "tensorflow", "torch"} - {here}:
            theirs = run_features_script(other, os.path.join(folder, f"{other}.npz"))
            self.assertEqual(sorted(theirs), sorted(mine))
            for name in mine:
                self.assertAllClose(theirs[name], mine[name], atol=1e-4, rtol=0, msg=f"{name} on {other}")

    def test_builtin_names_resolve_from_an_installed_wheel(self):
        folder = self.get_temp_dir()
        subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                        "-w", folder, ROOT], check=True, capture_output=True)
        (wheel,) = glob.glob(os.path.join(folder, "ssl_zoo-*.whl"))
        venv = os.path.join(folder, "venv")
        subprocess.run([sys.executable, "-m", "venv", "--without-pip", venv], check=True)
        python = os.path.join(venv, "bin", "python")
        site = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                              check=True, capture_output=True, text=True).stdout.strip()
        subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "-q", "--target",
                        site, wheel], check=True, capture_output=True)
        # The dependencies come from this environment's site-packages, listed after the
        # fresh venv's own (a path in a .pth file): ssl_zoo itself only from the wheel.
        with open(os.path.join(site, "dependencies.pth"), "w") as f:
            f.write(sysconfig.get_paths()["purelib"] + "\n")
        env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
        where = subprocess.run([python, "-c", "import ssl_zoo.models.preset_io as p; print(p.builtin_dir())"],
                               check=True, capture_output=True, text=True, cwd=folder, env=env).stdout.strip()
        self.assertEqual(where, os.path.join(site, "ssl_zoo", "_presets"))
        here = keras.config.backend()
        from_wheel = run_features_script(here, os.path.join(folder, "wheel.npz"), python=python, cwd=folder)
        from_checkout = run_features_script(here, os.path.join(folder, "checkout.npz"))
        self.assertEqual(sorted(from_wheel), sorted(from_checkout))
        for name in from_checkout:
            np.testing.assert_array_equal(from_wheel[name], from_checkout[name])
