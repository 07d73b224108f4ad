import argparse
import io
import json
import os
import subprocess
import sys
from unittest import mock

import keras
import numpy as np
import pytest
from PIL import Image

from ssl_zoo import models
from ssl_zoo.cli import evaluate
from ssl_zoo.cli import main
from ssl_zoo.cli import pretrain
from ssl_zoo.testing.image_files import write_image
from ssl_zoo.testing.image_files import write_truncated_image
from ssl_zoo.testing.test_case import TestCase


def ssl_zoo_presets_names():
    import ssl_zoo

    return [row["name"] for row in ssl_zoo.presets()]


def evaluate_args(preset, data):
    return main.build_parser().parse_args(["evaluate", preset, "--data", data])


class CLITest(TestCase):
    def run_cli(self, *argv):
        return main.main(list(argv))

    def test_backend_flag_comes_before_keras_is_imported(self):
        # Keras fixes its backend when imported: the CLI must not import it before --backend.
        probe = "import sys, ssl_zoo, ssl_zoo.cli.main; print('keras' in sys.modules)"
        result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
        self.assertEqual(result.stdout.strip(), "False")

    def test_the_frameworks_start_without_a_line_on_the_terminal(self):
        # TensorFlow's C++ start-up lines (CUDA stubs, absl, cuInit) on a CPU machine.
        probe = ("from ssl_zoo.cli import frameworks; frameworks.load(); import keras, tensorflow; "
                 "keras.ops.convert_to_numpy(keras.ops.add(1, 1)); tensorflow.constant(1) + 1; print('ran')")
        result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
        self.assertEqual((result.stdout, result.stderr), ("ran\n", ""))

    def test_presets_lists_without_importing_keras(self):
        probe = ("import json, sys; from ssl_zoo.cli import main; main.main(['presets', '--json']); "
                 "print(json.dumps(sorted(m for m in ('keras', 'keras_hub', 'tensorflow') if m in sys.modules)))")
        result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
        *listing, imported = result.stdout.strip().splitlines()
        self.assertEqual(json.loads(imported), [])
        self.assertEqual([row["name"] for row in json.loads("\n".join(listing))], sorted(ssl_zoo_presets_names()))

    def test_pretrain_then_evaluate_on_synthetic_data(self):
        out = os.path.join(self.get_temp_dir(), "preset")
        code = self.run_cli("pretrain", "simclr", "--data", "synthetic", "--out", out,
                            "--limit", "64", "--batch-size", "32", "--knn-every", "0")
        self.assertEqual(code, 0)
        self.assertTrue(os.path.isfile(os.path.join(out, "task.json")))
        for protocol in ("linear", "knn"):
            code = self.run_cli("evaluate", out, "--data", "synthetic", "--protocol", protocol,
                                "--labels", "0.5", "--json")
            self.assertEqual(code, 0)

    def test_pretrain_mlm_then_evaluate_on_synthetic_texts(self):
        out = os.path.join(self.get_temp_dir(), "preset")
        code = self.run_cli("pretrain", "mlm", "--data", "synthetic", "--out", out, "--limit", "64",
                            "--batch-size", "32", "--sequence-length", "16", "--vocabulary-size", "100",
                            "--knn-every", "0")
        self.assertEqual(code, 0)
        self.assertTrue(os.path.isfile(os.path.join(out, "assets", "tokenizer", "vocabulary.txt")))
        for protocol in ("linear", "knn"):
            code = self.run_cli("evaluate", out, "--data", "synthetic", "--protocol", protocol,
                                "--labels", "0.5", "--json")
            self.assertEqual(code, 0)
        with self.assertRaisesRegex(ValueError, "is an image data set"):
            evaluate.run(evaluate_args(out, "fashion_mnist"))

    def test_evaluate_json_output(self):
        out = os.path.join(self.get_temp_dir(), "preset")
        self.run_cli("pretrain", "simclr", "--data", "synthetic", "--out", out, "--limit", "32",
                     "--batch-size", "16", "--knn-every", "0")
        result = subprocess.run(
            [sys.executable, "-m", "ssl_zoo", "evaluate", out, "--data", "synthetic", "--json"],
            capture_output=True, text=True, check=True,
        )
        (row,) = json.loads(result.stdout)
        self.assertEqual(row["protocol"], "linear")
        self.assertGreaterEqual(row["test_accuracy"], 0.0)
        self.assertLessEqual(row["test_accuracy"], 1.0)

    def test_bad_input_exits_non_zero_without_traceback(self):
        folder = self.get_temp_dir()
        cases = [
            (["evaluate", folder, "--data", "synthetic"], "is not a preset folder"),
            (["evaluate", "no_such_preset", "--data", "synthetic"], "Unknown preset 'no_such_preset'"),
            (["pretrain", "simclr", "--data", "/no/such/folder", "--out", folder], "/no/such/folder"),
        ]
        for argv, message in cases:
            result = subprocess.run([sys.executable, "-m", "ssl_zoo", *argv], capture_output=True, text=True)
            self.assertEqual(result.returncode, 1, result.stderr)
            self.assertIn(message, result.stderr)
            self.assertNotIn("Traceback", result.stderr)

    def test_bad_values_are_refused_while_parsing_naming_the_flag(self):
        out = os.path.join(self.get_temp_dir(), "out")
        cases = [
            (["pretrain", "simclr", "--epochs", "0"], "argument --epochs: must be an integer >= 1. Received: '0'"),
            (["pretrain", "simclr", "--seed", "-1"], "argument --seed: must be an integer >= 0. Received: '-1'"),
            (["pretrain", "simclr", "--batch-size", "1.5"], "argument --batch-size: must be an integer >= 1"),
            (["pretrain", "simclr", "--temperature", "-0.5"],
             "argument --temperature: must be a finite number > 0. Received: '-0.5'"),
            (["pretrain", "simclr", "--temperature", "0"], "argument --temperature: must be a finite number > 0"),
            (["pretrain", "simclr", "--jitter-strength", "nan"],
             "argument --jitter-strength: must be a finite number >= 0. Received: 'nan'"),
            (["pretrain", "simclr", "--jitter-strength", "-1"], "argument --jitter-strength: must be a finite number >= 0"),
            (["pretrain", "mlm", "--sequence-length", "2"], "argument --sequence-length: must be an integer >= 3"),
            (["pretrain", "mlm", "--sequence-length", "0"], "argument --sequence-length: must be an integer >= 3"),
            (["pretrain", "simclr", "--devices", "0"], "argument --devices: must be an integer >= 1"),
            (["pretrain", "autoencoder", "--variant", "sparse"],
             "argument --variant: invalid choice: 'sparse'"),
            (["pretrain", "simclr", "--image-size", "0"], "argument --image-size: must be an integer >= 1. Received: '0'"),
            (["pretrain", "simclr", "--learning-rate", "0"], "argument --learning-rate: must be a finite number > 0"),
            (["pretrain", "simclr", "--weight-decay", "inf"], "argument --weight-decay: must be a finite number >= 0"),
            (["pretrain", "simclr", "--steps-per-epoch", "0"], "argument --steps-per-epoch: must be an integer >= 1"),
            (["pretrain", "simclr", "--workers", "0"], "argument --workers: must be an integer >= 1"),
            (["evaluate", "x", "--labels", "1.5"], "argument --labels: must be a fraction in (0, 1]. Received: '1.5'"),
            (["evaluate", "x", "--min-steps", "0"], "argument --min-steps: must be an integer >= 1"),
            (["report", "label-efficiency", "x", "--labels", "0.1", "0"], "argument --labels: must be a fraction in (0, 1]"),
        ]
        for argv, message in cases:
            argv = [*argv, "--data", "synthetic"] + (["--out", out] if argv[0] == "pretrain" else [])
            with mock.patch("sys.stderr", new_callable=io.StringIO) as stderr, self.assertRaises(SystemExit) as exit:
                main.main(argv)
            self.assertEqual(exit.exception.code, 2, argv)
            self.assertIn(message, stderr.getvalue())
        self.assertFalse(os.path.exists(out))

    def test_bench_nt_xent_reports_ratios(self):
        result = subprocess.run(
            [sys.executable, "-m", "ssl_zoo", "bench", "nt-xent", "--n", "64", "--d", "8",
             "--repeats", "1", "--json"],
            capture_output=True, text=True, check=True,
        )
        (row,) = json.loads(result.stdout[result.stdout.index("["):])
        for key in ("roofline_s", "fused_s", "reference_s", "fused_mib", "reference_mib", "fused_rss_mib"):
            self.assertGreater(row[key] + 1e-12, 0.0, key)
        self.assertAlmostEqual(row["fused_over_roofline"], row["fused_s"] / row["roofline_s"])
        self.assertAlmostEqual(row["fused_over_reference"], row["fused_s"] / row["reference_s"])

    def test_bench_memory_sees_the_similarity_matrix(self):
        # N=2048: the reference holds at least one (2N, 2N) float32 matrix, 64 MiB; the fused
        # kernel's inputs-sized buffers (D=8, 0.1 MiB) and 1 MiB tiles stay far below it.
        env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
        held = {}
        for case in ("reference", "fused"):
            result = subprocess.run(
                [sys.executable, "-m", "ssl_zoo.cli.bench_case", case, "2048", "8", "1"],
                capture_output=True, text=True, check=True, env=env,
            )
            held[case] = json.loads(result.stdout.strip().splitlines()[-1])["peak_extra_mib"]
        self.assertGreaterEqual(held["reference"], 64.0)
        self.assertLess(held["fused"], 16.0)

    @pytest.mark.large  # three processes, about 30 s on two CPU cores
    def test_bench_info_nce_reports_ratios_and_sees_the_logits(self):
        # N=512, K=8192: the reference holds at least the (N, N + K) float32 logits, 17 MiB;
        # the fused kernel's inputs-sized buffers (D=8, the bank's gradient 0.25 MiB) and
        # 1 MiB tiles stay far below it.
        result = subprocess.run(
            [sys.executable, "-m", "ssl_zoo", "bench", "info-nce", "--n", "512", "--k", "8192",
             "--d", "8", "--repeats", "1", "--json"],
            capture_output=True, text=True, check=True,
        )
        (row,) = json.loads(result.stdout[result.stdout.index("["):])
        self.assertEqual((row["n"], row["k"], row["d"]), (512, 8192, 8))
        self.assertAlmostEqual(row["fused_over_roofline"], row["fused_s"] / row["roofline_s"])
        self.assertAlmostEqual(row["fused_over_reference"], row["fused_s"] / row["reference_s"])
        self.assertGreaterEqual(row["reference_mib"], 512 * 8704 * 4 / 2**20)
        self.assertLess(row["fused_mib"], 8.0)

    def test_help(self):
        result = subprocess.run([sys.executable, "-m", "ssl_zoo", "--help"], capture_output=True, text=True)
        self.assertEqual(result.returncode, 0)
        for command in ("presets", "pretrain", "evaluate", "bench"):
            self.assertIn(command, result.stdout)


class ImageMethodsCLITest(TestCase):
    def test_rotnet_and_autoencoder_presets_are_read_by_evaluate(self):
        folder = self.get_temp_dir()
        runs = [
            ("rotnet", [], "linear"),
            ("autoencoder", ["--variant", "masked", "--reconstructions", os.path.join(folder, "r.png")], "knn"),
        ]
        for method, options, protocol in runs:
            out = os.path.join(folder, method)
            code = main.main(["pretrain", method, "--data", "synthetic", "--out", out, "--limit", "32",
                              "--batch-size", "16", "--knn-every", "0", *options])
            self.assertEqual(code, 0, method)
            self.assertEqual(type(models.load_task(out)).__name__, {"rotnet": "RotNet"}.get(method, "Autoencoder"))
            code = main.main(["evaluate", out, "--data", "synthetic", "--protocol", protocol,
                              "--labels", "0.5", "--json"])
            self.assertEqual(code, 0, method)
        self.assertEqual(models.load_task(os.path.join(folder, "autoencoder")).variant, "masked")
        with Image.open(os.path.join(folder, "r.png")) as picture:
            self.assertEqual(picture.size, (3 * (8 * 30 - 2), 3 * (3 * 30 - 2)))  # 8 images, 3 rows

    def test_bad_input_writes_nothing(self):
        folder = self.get_temp_dir()
        tiny_images = os.path.join(folder, "tiny")
        for label in ("a", "b"):
            os.makedirs(os.path.join(tiny_images, label))
            for i in range(3):
                Image.new("L", (3, 3), 40 * i).save(os.path.join(tiny_images, label, f"{i}.png"))
        out = os.path.join(folder, "out")
        cases = [
            (["pretrain", "rotnet", "--data", tiny_images, "--out", out],
             "image_shape=(3, 3, 3) is too small for stackwise_num_strides=[1, 2, 2]: each side needs >= 4 px"),
            (["pretrain", "autoencoder", "--data", tiny_images, "--out", out, "--variant", "masked"],
             "image_shape=(3, 3, 3) is too small"),
            (["pretrain", "rotnet", "--data", "synthetic", "--out", out, "--variant", "masked"],
             "--variant applies to autoencoder only. Received: pretrain rotnet --variant masked"),
            (["pretrain", "rotnet", "--data", tiny_images, "--out", out, "--image-size", "8", "8", "3"],
             "--image-size takes PX (square) or H W. Received: --image-size 8 8 3"),
            (["pretrain", "mlm", "--data", "synthetic", "--out", out, "--image-size", "8"],
             "--image-size applies to autoencoder, barlow_twins, byol, dino, jigsaw, mocov2, mocov3, rotnet, simclr, simsiam, vicreg only. Received: pretrain mlm --image-size 8"),
        ]
        for argv, message in cases:
            result = subprocess.run([sys.executable, "-m", "ssl_zoo", *argv], capture_output=True, text=True)
            self.assertEqual(result.returncode, 1, result.stderr)
            self.assertIn(message, result.stderr)
            self.assertNotIn("Traceback", result.stderr)
            self.assertEqual(sorted(os.listdir(folder)), ["tiny"])


class TrainingFlagsCLITest(TestCase):
    def test_image_size_steps_learning_rate_and_workers(self):
        folder = self.get_temp_dir()
        rng = np.random.default_rng(0)
        for i, (height, width) in enumerate([(20, 30), (16, 16), (40, 12), (9, 9)] * 2):
            Image.fromarray(rng.integers(0, 256, (height, width, 3), dtype=np.uint8)).save(
                os.path.join(folder, f"{i}.{'png' if i % 2 else 'jpg'}"))
        out = os.path.join(folder, "preset")
        with mock.patch("sys.stdout", new_callable=io.StringIO) as stdout:
            code = main.main(["pretrain", "simclr", "--data", folder, "--out", out, "--image-size", "16", "12",
                              "--batch-size", "2", "--steps-per-epoch", "1", "--epochs", "2", "--learning-rate", "0.01",
                              "--weight-decay", "0", "--workers", "2"])
        self.assertEqual(code, 0)
        self.assertEqual(stdout.getvalue().count("1/1 - "), 2)  # two epochs of one step each
        self.assertEqual(tuple(models.load_task(out).backbone.input_shape[1:]), (16, 12, 3))
        write_truncated_image(os.path.join(folder, "cut.jpg"), rng.integers(0, 256, (32, 32, 3)))
        strict_out = os.path.join(folder, "strict")
        with mock.patch("sys.stderr", new_callable=io.StringIO) as stderr, mock.patch("sys.stdout", new_callable=io.StringIO):
            code = main.main(["pretrain", "simclr", "--data", folder, "--out", strict_out, "--image-size", "16",
                              "--batch-size", "9", "--strict"])
        self.assertEqual(code, 1)
        self.assertRegex(stderr.getvalue(), r"^ssl-zoo pretrain: error: Could not read image file .*cut\.jpg")
        self.assertFalse(os.path.exists(strict_out))


class UnreadableFolderCLITest(TestCase):
    def test_a_folder_without_readable_images_is_one_line_and_writes_nothing(self):
        folder = self.get_temp_dir()
        os.makedirs(os.path.join(folder, "empty"))
        with open(os.path.join(folder, "empty", "notes.txt"), "w") as f:
            f.write("no image here")
        os.makedirs(os.path.join(folder, "broken"))
        for name in ("a.jpg", "b.png"):
            with open(os.path.join(folder, "broken", name), "wb") as f:
                f.write(b"<html>not an image</html>")
        out = os.path.join(folder, "out")
        for data, message in [
            ("empty", r"No images in directory=.*empty.* Expected files ending in .*\.png"),
            ("broken", r"No readable images in .*broken: all 2 image files failed, e\.g\. Could not read image file .*a\.jpg"),
        ]:
            with mock.patch("sys.stderr", new_callable=io.StringIO) as stderr, mock.patch("sys.stdout", new_callable=io.StringIO):
                code = main.main(["pretrain", "simclr", "--data", os.path.join(folder, data), "--out", out])
            self.assertEqual(code, 1)
            self.assertRegex(stderr.getvalue(), "^ssl-zoo pretrain: error: " + message)
            self.assertEqual(sorted(os.listdir(folder)), ["broken", "empty"])


class ColorModeCLITest(TestCase):
    def test_a_folder_is_read_in_the_presets_channels(self):
        folder = self.get_temp_dir()
        rng = np.random.default_rng(0)
        for label in ("a", "b"):
            os.makedirs(os.path.join(folder, label))
            for i in range(10):
                pixels = rng.integers(0, 256, (28, 28), dtype=np.uint8)
                Image.fromarray(pixels, "L").save(os.path.join(folder, label, f"{i}.png"))
        with mock.patch("sys.stdout", new_callable=io.StringIO) as stdout:
            code = main.main(["evaluate", "simclr_resnet_fashion_mnist", "--data", folder, "--protocol", "knn",
                              "--labels", "1", "--json"])
        self.assertEqual(code, 0)
        (row,) = json.loads(stdout.getvalue())
        self.assertEqual(row["protocol"], "knn")

    def test_color_mode_reads_a_folder_in_color_for_a_gray_preset(self):
        folder = self.get_temp_dir()
        rng = np.random.default_rng(0)
        # Stripes along a color direction that PIL's gray level (L = 0.299 R + 0.587 G + 0.114 B)
        # does not see: read in gray both classes are flat noise; in color the adapted stem sees
        # vertical stripes in one class and horizontal ones in the other.
        direction = np.array([1.0, 0.0, -0.299 / 0.114])
        stripes = np.where(np.arange(32) % 8 < 4, 30.0, -30.0)
        for label, pattern in (("vertical", stripes[None, :]), ("horizontal", stripes[:, None])):
            for i in range(25):
                noise = rng.integers(-5, 6, (32, 32, 1))
                pixels = 128 + noise + np.broadcast_to(pattern, (32, 32))[..., None] * direction
                write_image(os.path.join(folder, label, f"{i}.png"), np.round(pixels))
        accuracy = {}
        for mode in ("grayscale", "rgb"):
            with mock.patch("sys.stdout", new_callable=io.StringIO) as stdout:
                code = main.main(["evaluate", "simclr_resnet_fashion_mnist", "--data", folder, "--protocol",
                                  "knn", "--color-mode", mode, "--labels", "1", "--json"])
            self.assertEqual(code, 0)
            accuracy[mode] = json.loads(stdout.getvalue())[0]["test_accuracy"]
        self.assertEqual(accuracy["rgb"], 1.0)
        self.assertLessEqual(accuracy["grayscale"], 0.8)


class UnlabeledFolderCLITest(TestCase):
    def test_pretraining_on_every_image_monitored_on_other_data_and_evaluate_says_what_it_needs(self):
        folder = self.get_temp_dir()
        photos = os.path.join(folder, "photos")
        rng = np.random.default_rng(0)
        for i in range(12):  # one sub-folder and loose images: unlabeled
            name = os.path.join(photos, "2024", f"{i}.png") if i % 2 else os.path.join(photos, f"{i}.png")
            os.makedirs(os.path.dirname(name), exist_ok=True)
            Image.fromarray(rng.integers(0, 256, (16, 16, 3), dtype=np.uint8)).save(name)
        labeled = os.path.join(folder, "labeled")
        for label in ("a", "b"):
            os.makedirs(os.path.join(labeled, label))
            for i in range(5):
                Image.fromarray(rng.integers(0, 256, (16, 16, 3), dtype=np.uint8)).save(
                    os.path.join(labeled, label, f"{i}.png"))
        out = os.path.join(folder, "preset")
        with mock.patch("sys.stdout", new_callable=io.StringIO) as stdout:
            code = main.main(["pretrain", "simclr", "--data", photos, "--out", out, "--batch-size", "8",
                              "--monitor-data", labeled])
        self.assertEqual(code, 0)
        self.assertIn("on 12 examples from", stdout.getvalue())  # every image trains
        self.assertIn("knn_accuracy", stdout.getvalue())
        with mock.patch("sys.stderr", new_callable=io.StringIO) as stderr:
            code = main.main(["evaluate", out, "--data", photos, "--protocol", "knn"])
        self.assertEqual(code, 1)
        self.assertIn(f"--data {photos} has no labels", stderr.getvalue())
        with mock.patch("sys.stderr", new_callable=io.StringIO) as stderr:
            code = main.main(["pretrain", "simclr", "--data", labeled, "--out", out, "--monitor-data", photos])
        self.assertEqual(code, 1)
        self.assertIn("--monitor-data must be labeled data with a test split", stderr.getvalue())

    def test_own_warnings_are_one_line_without_python_s_location(self):
        import warnings

        from ssl_zoo import data

        self.addCleanup(setattr, warnings, "showwarning", warnings.showwarning)
        main._show_own_warnings_as_lines("pretrain")
        with mock.patch("sys.stderr", new_callable=io.StringIO) as stderr, warnings.catch_warnings():
            warnings.simplefilter("always")
            warnings.warn("Skipped 1 of 9 image files", data.SkippedImagesWarning)
        self.assertEqual(stderr.getvalue(), "ssl-zoo pretrain: warning: Skipped 1 of 9 image files\n")

    def test_unlabeled_data_has_no_monitor_and_says_how_to_get_one(self):
        from ssl_zoo.cli import pretrain

        args = argparse.Namespace(knn_every=1, data="photos/")
        images = np.zeros((4, 8, 8, 3), np.uint8)
        with mock.patch("sys.stdout", new_callable=io.StringIO) as stdout:
            self.assertEqual(pretrain._knn_monitor(args, images, None, images[:0], None), [])
        self.assertEqual(stdout.getvalue(), "No kNN monitor: --data photos/ is unlabeled (--monitor-data DATA gives one)\n")

    def test_a_vocabulary_too_small_for_the_corpus_names_the_flag(self):
        out = os.path.join(self.get_temp_dir(), "preset")
        with mock.patch("sys.stderr", new_callable=io.StringIO) as stderr, mock.patch("sys.stdout", new_callable=io.StringIO):
            code = main.main(["pretrain", "mlm", "--data", "synthetic", "--out", out, "--vocabulary-size", "6"])
        self.assertEqual(code, 1)
        self.assertIn("--vocabulary-size 6: vocabulary_size is too small for this corpus", stderr.getvalue())
        self.assertFalse(os.path.exists(out))


class FineTuneAndReportCLITest(TestCase):
    def test_finetune_protocol_and_label_efficiency_report(self):
        folder = self.get_temp_dir()
        preset = os.path.join(folder, "preset")
        main.main(["pretrain", "simclr", "--data", "synthetic", "--out", preset, "--limit", "32",
                   "--batch-size", "16", "--knn-every", "0"])
        code = main.main(["evaluate", preset, "--data", "synthetic", "--protocol", "finetune",
                          "--labels", "0.1", "--min-steps", "2", "--json"])
        self.assertEqual(code, 0)
        out = os.path.join(folder, "report")
        result = subprocess.run(
            [sys.executable, "-m", "ssl_zoo", "report", "label-efficiency", preset, "--data", "synthetic",
             "--labels", "0.05", "0.1", "--min-steps", "2", "--embedding", "pca", "--out", out, "--json"],
            capture_output=True, text=True, check=True,
        )
        rows = json.loads(result.stdout[result.stdout.index("["):])
        self.assertEqual([row["labels"] for row in rows], ["0.05", "0.1"])
        self.assertEqual(list(rows[0]), ["labels", "linear probe", "fine-tuned", "from scratch", "raw pixels"])
        self.assertEqual(sorted(os.listdir(out)), ["embedding.png", "label_efficiency.json",
                                                   "label_efficiency.md", "label_efficiency.png"])
        with open(os.path.join(out, "label_efficiency.json")) as f:
            self.assertEqual(json.load(f)["accuracy"]["linear probe"], [row["linear probe"] for row in rows])

    def test_report_refuses_an_unknown_preset(self):
        result = subprocess.run(
            [sys.executable, "-m", "ssl_zoo", "report", "label-efficiency", "no_such_preset", "--data", "synthetic"],
            capture_output=True, text=True,
        )
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertIn("Unknown preset 'no_such_preset'", result.stderr)
        self.assertNotIn("Traceback", result.stderr)


class _Recorder(keras.callbacks.Callback):
    """Records the epochs run; raises KeyboardInterrupt (like Ctrl-C) before `stop_at`."""

    def __init__(self, stop_at=None):
        super().__init__()
        self.stop_at, self.epochs, self.learning_rates = stop_at, [], []

    def on_epoch_begin(self, epoch, logs=None):
        if epoch == self.stop_at:
            raise KeyboardInterrupt
        self.epochs.append(epoch)
        self.learning_rates.append(float(keras.ops.convert_to_numpy(self.model.optimizer.learning_rate)))


def run_with_callback(callback, argv):
    """`main.main(argv)` with `callback` added to pretraining's callbacks."""
    original = pretrain._schedule_callbacks
    with mock.patch.object(pretrain, "_schedule_callbacks", lambda args, model: original(args, model) + [callback]):
        return main.main(argv)


class PretrainScheduleAndCheckpointTest(TestCase):
    def test_interrupted_run_resumes_from_its_checkpoint_with_the_cosine_schedule(self):
        folder = self.get_temp_dir()
        checkpoint, out = os.path.join(folder, "checkpoint"), os.path.join(folder, "preset")
        argv = ["pretrain", "simclr", "--data", "synthetic", "--out", out, "--limit", "32", "--batch-size", "16",
                "--knn-every", "0", "--epochs", "4", "--schedule", "cosine", "--checkpoint-dir", checkpoint]
        first = _Recorder(stop_at=2)
        self.assertEqual(run_with_callback(first, argv), 130)
        self.assertFalse(os.path.exists(out))
        self.assertTrue(os.path.isdir(checkpoint))
        second = _Recorder()
        self.assertEqual(run_with_callback(second, argv), 0)
        self.assertEqual((first.epochs, second.epochs), ([0, 1], [2, 3]))
        # Cosine from Adam's 1e-3 to zero over 4 epochs: 1e-3 * (1 + cos(pi * e / 4)) / 2.
        expected = [1e-3 * (1 + np.cos(np.pi * e / 4)) / 2 for e in range(4)]
        self.assertAllClose(first.learning_rates + second.learning_rates, expected, rtol=1e-6)
        self.assertFalse(os.path.exists(checkpoint))  # removed once training completed
        self.assertTrue(os.path.isfile(os.path.join(out, "config.json")))


class _WeightsAtStart(keras.callbacks.Callback):
    """Records the backbone's weights when training begins."""

    def on_train_begin(self, logs=None):
        self.weights = [np.array(w) for w in self.model.backbone.get_weights()]


class PretrainFromPresetTest(TestCase):
    def pretrain(self, *argv, callback=None):
        if callback is None:
            return main.main(["pretrain", *argv])
        return run_with_callback(callback, ["pretrain", *argv])

    def test_training_continues_from_the_preset(self):
        folder = self.get_temp_dir()
        simclr_first, simclr_further = ["--jitter-strength", "0.7"], ["--temperature", "0.2", "--jitter-strength", "0.9"]
        for method, cls, first_options, options in [
            ("simclr", models.SimCLR, simclr_first, simclr_further), ("mlm", models.MaskedLM, [], []),
        ]:
            first, second = os.path.join(folder, f"{method}_1"), os.path.join(folder, f"{method}_2")
            common = ["--data", "synthetic", "--limit", "32", "--batch-size", "16", "--knn-every", "0"]
            self.assertEqual(self.pretrain(method, *common, "--out", first, *first_options), 0)
            start = _WeightsAtStart()
            self.assertEqual(self.pretrain(method, *common, "--out", second, "--init-preset", first, *options,
                                           callback=start), 0)
            saved = cls.from_preset(first).backbone.get_weights()
            self.assertEqual(len(start.weights), len(saved))
            for at_start, weight in zip(start.weights, saved):
                np.testing.assert_array_equal(at_start, weight)
            trained = cls.from_preset(second)
            self.assertFalse(all(np.array_equal(a, b) for a, b in zip(trained.backbone.get_weights(), saved)))
            if method == "simclr":
                self.assertEqual(cls.from_preset(first).jitter_strength, 0.7)
                self.assertEqual((trained.temperature, trained.jitter_strength), (0.2, 0.9))
            else:
                self.assertEqual(trained.preprocessor.tokenizer.get_vocabulary(),
                                 cls.from_preset(first).preprocessor.tokenizer.get_vocabulary())

    def test_bad_init_preset_fails_before_training(self):
        folder = self.get_temp_dir()
        rotnet_preset, out = os.path.join(folder, "rotnet"), os.path.join(folder, "out")
        common = ["--data", "synthetic", "--limit", "32", "--batch-size", "16", "--knn-every", "0"]
        self.assertEqual(self.pretrain("rotnet", *common, "--out", rotnet_preset), 0)
        cases = [
            (["simclr", "--init-preset", rotnet_preset], "holds a RotNet"),
            (["simclr", "--init-preset", rotnet_preset, "--backbone", "resnet_small"],
             f"--backbone shapes a new model; a model from --init-preset keeps its own. "
             f"Received: --init-preset {rotnet_preset} --backbone resnet_small"),
            (["mlm", "--init-preset", "no_such_preset"], "no_such_preset"),
        ]
        for argv, message in cases:
            with mock.patch("sys.stderr", new_callable=io.StringIO) as stderr:
                self.assertEqual(self.pretrain(*argv, *common, "--out", out), 1, argv)
            self.assertIn(message, stderr.getvalue())
            self.assertFalse(os.path.exists(out))
