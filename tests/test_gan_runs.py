"""Chapter 7's training runs: a resumable run on a tiny subset, and finding the first epoch that meets
the targets."""

import json

import numpy as np
import pytest

from coursework_lib.models import gan
from coursework_lib.training import gan_runs


@pytest.mark.parametrize("architecture", ["small", "conditional", "clustered"])
def test_resumable_training_run(tmp_path, architecture):
    run = gan_runs.GanRun(architecture, tmp_path / "run", num_train=256)
    log = run.train(1, checkpoint_every=1, export_dir=tmp_path / "w", progress=lambda line: None)
    assert [row["epoch"] for row in log] == [1] and np.isfinite(log[0]["d_loss"])
    resumed = gan_runs.GanRun(architecture, tmp_path / "run", num_train=256)
    assert resumed.restore_latest() == 1
    for trained, restored in zip(run.generator.get_weights(), resumed.generator.get_weights()):
        np.testing.assert_array_equal(trained, restored)
    messages = []
    log = resumed.train(2, checkpoint_every=1, export_dir=tmp_path / "w", progress=messages.append)
    assert messages[0] == f"resumed {architecture} from epoch 1" and [row["epoch"] for row in log] == [1, 2]
    paths = gan_runs.exported_paths(architecture, tmp_path / "w")
    exported = json.loads(paths["log"].read_text())
    assert [row["epoch"] for row in exported["epochs"]] == [1, 2]
    assert paths["gif"].stat().st_size > 0
    frequencies = gan_runs.load_class_frequencies(architecture, tmp_path / "w")
    if architecture == "clustered":
        assert frequencies.shape == (gan.NUM_CLUSTERS,) and frequencies.sum() == pytest.approx(1.0)
    else:
        assert frequencies is None
    generator = gan_runs.load_generator(architecture, tmp_path / "w")
    np.testing.assert_array_equal(generator.get_weights()[0], resumed.sampled_generator.get_weights()[0])


def test_first_epoch_matching():
    log = [
        {"epoch": 1, "confident_fraction": 0.5, "fid_cnn": 9.0, "class_ratio": 1.0},
        {"epoch": 2, "confident_fraction": 0.8, "fid_cnn": 6.0, "class_ratio": 1.0},
        {"epoch": 3, "confident_fraction": 0.7, "fid_cnn": 3.0, "class_ratio": 1.0},
        {"epoch": 4, "confident_fraction": 0.8, "fid_cnn": 3.0, "class_ratio": 1.0},
    ]
    assert gan_runs.first_epoch_matching(log, 0.75, 4.0)["epoch"] == 4
    assert gan_runs.first_epoch_matching(log, 0.9, 4.0) is None
    log = [
        {"epoch": 1, "confident_fraction": 0.95, "fid_cnn": 9.0, "class_ratio": 4.0},
        {"epoch": 2, "confident_fraction": 0.85, "fid_cnn": 9.0, "class_ratio": 1.5},
        {"epoch": 3, "confident_fraction": 0.92, "fid_cnn": 9.0, "class_ratio": 2.5},
    ]
    assert gan_runs.first_epoch_matching(log, 0.9, class_ratio=2.5)["epoch"] == 3
    assert gan_runs.first_epoch_matching(log, 0.9, class_ratio=2.0) is None
