"""The front end: baselines against the measurement operators computed independently, shapes of the
generator's restorations and of the static panel."""

import numpy as np
import pytest

from coursework_lib.maths import measurements as ms
from coursework_lib.restoration import restore
from coursework_lib.restoration.generators import DenseGenerator


def small_generator(seed=6):
    rng = np.random.default_rng(seed)
    return DenseGenerator(
        (
            (rng.normal(0, 0.3, (20, 32)).astype(np.float32), np.zeros(32, np.float32)),
            (rng.normal(0, 0.3, (32, 784)).astype(np.float32), np.zeros(784, np.float32)),
        )
    )


def test_restore_images_shapes_and_baselines():
    rng = np.random.default_rng(6)
    G = small_generator()
    X = rng.random((3, 784))
    shown, restored = restore.restore_images(G, X, "inpainting", 392, noise_std=0.0, method="baseline")
    np.testing.assert_array_equal(restored[:, :392], X[:, :392])
    assert not restored[:, 392:].any()
    shown, restored = restore.restore_images(G, X, "super-resolution", 4, noise_std=0.0, method="baseline")
    T = ms.average_pooling_matrix(28, 4)
    np.testing.assert_allclose(restored @ T.T, X @ T.T)
    shown, restored = restore.restore_images(
        G, X, "compressed-sensing", 30, method="generator", num_restarts=2, num_steps=20
    )
    assert restored.shape == (3, 784) and shown.shape == (3, 784)
    with pytest.raises(ValueError, match="problem"):
        restore.restore_images(G, X, "deblurring", 3)
    with pytest.raises(ValueError, match="divide by 255"):  # the commonest data mistake: 0-255 pixels
        restore.restore_images(G, (255 * X).astype(np.uint8), "inpainting", 392, method="baseline")
    with pytest.raises(ValueError, match=r"\(k, 784\)"):
        restore.restore_images(G, X[:, :700], "inpainting", 392, method="baseline")


def test_restoration_panel_holds_one_block_per_setting():
    G = small_generator()
    X = np.random.default_rng(7).random((2, 784))
    blocks = restore.restoration_panel(G, X, [("inpainting", 336), ("super-resolution", 4)], noise_std=0.0)
    assert [label for label, *_ in blocks] == ["inpainting 336", "super-resolution 4"]
    for _, shown, baseline, generator in blocks:
        assert shown.shape == baseline.shape == generator.shape == (2, 784)
    # the inpainting baseline is the zero-filled observation
    np.testing.assert_array_equal(blocks[0][2][:, :336], X[:, :336])
    assert not blocks[0][2][:, 336:].any()
