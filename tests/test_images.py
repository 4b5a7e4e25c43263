"""Tiling against NumPy's reshape/transpose form of the same layout, plus the gaps, frame and errors."""

import numpy as np
import pytest

from coursework_lib.core.images import tile_images
from coursework_lib.training.gan_runs import grid_image

RNG = np.random.default_rng(0)


def blocks(images, ncols):
    """The mosaic without gaps in closed form: (rows·ncols, h, w) -> (rows·h, ncols·w)."""
    n, h, w = images.shape
    return images.reshape(n // ncols, ncols, h, w).transpose(0, 2, 1, 3).reshape(n // ncols * h, ncols * w)


def test_tiles_without_gaps_match_the_reshape_form():
    images = RNG.random((6, 5, 4)).astype(np.float32)
    np.testing.assert_array_equal(tile_images(images, 3, pad=0), blocks(images, 3))
    np.testing.assert_array_equal(tile_images(images[..., None], 2, pad=0), blocks(images, 2))


def test_gaps_frame_and_empty_cells_hold_fill():
    images = RNG.random((5, 3, 3)).astype(np.float32)
    out = tile_images(images, 3, pad=2, border=True, fill=-1.0)
    assert out.shape == (2 * 3 + 3 * 2, 3 * 3 + 4 * 2)
    inside = np.zeros(out.shape, bool)
    for i in range(5):
        r, c = divmod(i, 3)
        np.testing.assert_array_equal(out[2 + 5 * r : 5 + 5 * r, 2 + 5 * c : 5 + 5 * c], images[i])
        inside[2 + 5 * r : 5 + 5 * r, 2 + 5 * c : 5 + 5 * c] = True
    assert np.all(out[~inside] == -1.0)


def test_colour_images_keep_their_channels():
    images = RNG.random((4, 2, 2, 3))
    out = tile_images(images, 2, pad=1)
    assert out.shape == (5, 5, 3)
    np.testing.assert_allclose(out[3:, 3:], images[3], rtol=1e-6)
    np.testing.assert_array_equal(out[2], 1.0)


def test_gan_frame_is_dark_ink_on_white():
    images = RNG.random((16, 28, 28))
    frame = grid_image(images)
    assert frame.dtype == np.uint8 and frame.shape == (4 * 30 + 2, 4 * 30 + 2)
    np.testing.assert_array_equal(frame[2:30, 2:30], np.round(255 * (1 - images[0].astype(np.float32))))
    assert frame[0].min() == 255 and frame[:, 30:32].min() == 255


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        (dict(images=np.zeros((4, 4)), ncols=2), ValueError, "images"),
        (dict(images="abc", ncols=2), TypeError, "images"),
        (dict(images=np.zeros((2, 4, 4)), ncols=0), ValueError, "ncols"),
        (dict(images=np.zeros((2, 4, 4)), ncols=2, pad=-1), ValueError, "pad"),
        (dict(images=np.zeros((2, 4, 4)), ncols=2, fill=np.nan), ValueError, "fill"),
    ],
)
def test_bad_arguments_are_named(kwargs, error, match):
    with pytest.raises(error, match=match):
        tile_images(**kwargs)
