"""tools/build_presets.py: staged training reuses finished stages; --remeasure rewrites metrics only."""

import importlib.util
import json
import os
import sys
from unittest import mock

from ssl_zoo.testing.test_case import TestCase

_PATH = os.path.join(os.path.dirname(__file__), "..", "..", "tools", "build_presets.py")
_SPEC = importlib.util.spec_from_file_location("build_presets", _PATH)
build_presets = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(build_presets)

# Stands in for `ssl-zoo pretrain`: makes the stage's folder and counts its runs in a file.
_FAKE_STAGE = "import os, sys; os.makedirs(sys.argv[1], exist_ok=True); open(sys.argv[2], 'a').write('x')"


class TrainStageTest(TestCase):
    def setUp(self):
        super().setUp()
        self.staged = os.path.join(self.get_temp_dir(), "preset.stage1")
        self.runs = os.path.join(self.get_temp_dir(), "runs")

    def command(self, *extra):
        return [sys.executable, "-c", _FAKE_STAGE, self.staged, self.runs, *extra]

    def run_count(self):
        with open(self.runs) as f:
            return len(f.read())

    def test_a_finished_stage_with_the_same_command_is_reused(self):
        seconds = build_presets.train_stage("preset", self.command(), self.staged, reusable=True)
        with open(f"{self.staged}.json") as f:
            self.assertEqual(json.load(f), {"command": self.command()[1:], "train_seconds": seconds})
        reused = build_presets.train_stage("preset", self.command(), self.staged, reusable=True)
        self.assertEqual((self.run_count(), reused), (1, seconds))

    def test_a_changed_command_trains_again(self):
        build_presets.train_stage("preset", self.command(), self.staged, reusable=True)
        build_presets.train_stage("preset", self.command("--epochs", "2"), self.staged, reusable=True)
        self.assertEqual(self.run_count(), 2)
        with open(f"{self.staged}.json") as f:
            self.assertEqual(json.load(f)["command"], self.command("--epochs", "2")[1:])

    def test_the_last_stage_is_never_reused(self):
        build_presets.train_stage("preset", self.command(), self.staged, reusable=False)
        build_presets.train_stage("preset", self.command(), self.staged, reusable=False)
        self.assertEqual(self.run_count(), 2)
        self.assertFalse(os.path.exists(f"{self.staged}.json"))


class RemeasureTest(TestCase):
    def setUp(self):
        super().setUp()
        self.presets_dir = self.get_temp_dir()
        os.makedirs(os.path.join(self.presets_dir, "rotnet_x"))
        self.metadata_file = os.path.join(self.presets_dir, "rotnet_x", "metadata.json")
        self.metadata = {
            "keras_version": "3",
            "ssl_zoo": {"data": "fashion_mnist", "backend": "tensorflow", "metrics": {"knn_200": 0.5}, "train_seconds": 7},
        }
        with open(self.metadata_file, "w") as f:
            json.dump(self.metadata, f)

    def test_rewrites_the_metrics_and_keeps_the_rest(self):
        new_metrics = {"knn_200": 0.75}
        with mock.patch.object(build_presets, "PRESETS_DIR", self.presets_dir), mock.patch.object(
            build_presets, "measure", return_value=new_metrics
        ) as measure:
            build_presets.remeasure("rotnet_x")
        measure.assert_called_once_with(os.path.join(self.presets_dir, "rotnet_x"), "fashion_mnist", "tensorflow")
        with open(self.metadata_file) as f:
            rewritten = json.load(f)
        self.assertEqual(rewritten["keras_version"], "3")
        built = rewritten["ssl_zoo"]
        self.assertEqual((built["metrics"], built["train_seconds"]), (new_metrics, 7))
        self.assertRegex(built["metrics_measured"], r"^\d{4}-\d\d-\d\d, python tools/build_presets.py rotnet_x --remeasure$")

    def test_a_failed_measurement_leaves_the_metadata_as_it_was(self):
        with mock.patch.object(build_presets, "PRESETS_DIR", self.presets_dir), mock.patch.object(
            build_presets, "measure", side_effect=RuntimeError("measure_preset.py failed")
        ):
            with self.assertRaisesRegex(RuntimeError, "measure_preset.py failed"):
                build_presets.remeasure("rotnet_x")
        with open(self.metadata_file) as f:
            self.assertEqual(json.load(f), self.metadata)
