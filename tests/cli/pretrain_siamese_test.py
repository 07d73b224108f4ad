import io
import os
from unittest import mock

import pytest
from absl.testing import parameterized

from ssl_zoo import models
from ssl_zoo.cli import main
from ssl_zoo.testing.test_case import TestCase


@pytest.mark.large
class PretrainSiameseTest(TestCase):
    @parameterized.parameters(
        ("byol", models.BYOL, ["--momentum", "0.9", "--num-local-crops", "2"], {"momentum": 0.9, "num_local_crops": 2}),
        ("simclr", models.SimCLR, ["--num-local-crops", "2"], {"num_local_crops": 2}),
        ("mocov3", models.MoCoV3, ["--momentum", "0.9", "--temperature", "0.5", "--predictor-hidden-dim", "16"],
         {"momentum": 0.9, "temperature": 0.5, "predictor_hidden_dim": 16}),
        ("simsiam", models.SimSiam, ["--predictor-hidden-dim", "16"], {"predictor_hidden_dim": 16}),
        ("mocov2", models.MoCoV2, ["--queue-size", "64", "--temperature", "0.1"], {"queue_size": 64, "temperature": 0.1}),
        ("barlow_twins", models.BarlowTwins, ["--redundancy-weight", "0.01", "--loss-scale", "0.1"],
         {"redundancy_weight": 0.01, "loss_scale": 0.1}),
        ("vicreg", models.VICReg, ["--invariance-weight", "10", "--variance-weight", "20", "--covariance-weight", "2"],
         {"invariance_weight": 10.0, "variance_weight": 20.0, "covariance_weight": 2.0}),
        ("dino", models.DINO, ["--num-prototypes", "64", "--num-local-crops", "2", "--teacher-temperature", "0.06",
                               "--warmup-teacher-temperature-epochs", "3", "--momentum", "0.99"],
         {"num_prototypes": 64, "num_local_crops": 2, "teacher_temperature": 0.06,
          "warmup_teacher_temperature_epochs": 3, "momentum": 0.99}),
    )
    def test_pretrain_writes_a_preset_that_loads_with_the_options_given(self, name, task_cls, flags, expected):
        out = os.path.join(self.get_temp_dir(), name)
        with mock.patch("sys.stdout", new_callable=io.StringIO):
            code = main.main(["pretrain", name, "--data", "synthetic", "--out", out, "--limit", "64",
                              "--epochs", "1", "--batch-size", "32", "--knn-every", "0", *flags])
        self.assertEqual(code, 0)
        task = task_cls.from_preset(out)
        self.assertIsInstance(task, task_cls)
        for key, value in expected.items():
            self.assertEqual(task.get_config()[key], value)
