"""Tests of coursework_lib.core.patches: patch cutting against explicit slicing, the held-out split, the grey
conversion against scikit-image, the Keras augmentation, and the LFW loader against a tiny fixture in
scikit-learn's on-disk format."""

import numpy as np
import pytest

from coursework_lib.core import patches as P
from coursework_lib.core.data import DatasetError


def test_every_bundled_image_loads_as_rgb_uint8():
    for name in P.SOURCE_IMAGES:
        image = P.load_source_image(name)
        assert image.dtype == np.uint8 and image.ndim == 3 and image.shape[2] == 3, name
        assert min(image.shape[:2]) >= 256, name
    with pytest.raises(ValueError, match="name must be one of"):
        P.load_source_image("lena")


def test_extract_patches_matches_explicit_slicing():
    image = np.arange(10 * 12 * 3).reshape(10, 12, 3)
    patches = P.extract_patches(image, patch_size=4, stride=3)
    starts_r, starts_c = range(0, 10 - 4 + 1, 3), range(0, 12 - 4 + 1, 3)
    expected = [image[r : r + 4, c : c + 4] for r in starts_r for c in starts_c]
    assert patches.shape == (len(expected), 4, 4, 3)
    assert np.array_equal(patches, np.stack(expected))
    with pytest.raises(ValueError, match="smaller than patch_size"):
        P.extract_patches(np.zeros((3, 3, 3)), patch_size=4)


def test_resize_shorter_side_keeps_aspect_ratio():
    out = P.resize_shorter_side(np.zeros((300, 451, 3), np.uint8), 96)
    assert out.shape == (96, 144, 3) and out.dtype == np.float32


def test_train_and_test_come_from_different_photographs():
    assert set(P.TRAIN_IMAGES).isdisjoint(P.TEST_IMAGES)
    assert set(P.TRAIN_IMAGES) | set(P.TEST_IMAGES) == set(P.SOURCE_IMAGES)
    X, source = P.load_patches("test", scales=(64,), stride=16)
    assert X.shape[1:] == (32, 32, 3) and X.dtype == np.float32 and len(source) == len(X)
    assert set(source) == set(P.TEST_IMAGES)
    assert 0.0 <= X.min() and X.max() <= 1.0
    assert np.all(X.std(axis=(1, 2, 3)) >= 0.03)  # flat patches were dropped
    with pytest.raises(ValueError, match="split"):
        P.load_patches("validation")


def test_grey_matches_scikit_image_and_luminance_swap():
    from skimage.color import rgb2gray

    X = np.random.default_rng(0).uniform(size=(3, 5, 5, 3))
    G = P.to_grey(X)
    assert G.shape == (3, 5, 5, 1)
    assert np.allclose(G[..., 0], np.stack([rgb2gray(x) for x in X]), atol=1e-6)
    assert np.allclose(P.grey_to_rgb(G), np.repeat(G, 3, axis=-1))
    # replacing the luminance of a colour image by its own luminance changes nothing
    assert np.allclose(P.with_luminance(X, G), X, atol=1e-6)
    # and the result has the luminance that was asked for (away from clipping)
    mid = np.full((1, 4, 4, 3), 0.5)
    target = np.full((1, 4, 4, 1), 0.3)
    assert np.allclose(P.to_grey(P.with_luminance(mid, target)), target, atol=1e-6)


def test_augmenter_keeps_shapes_is_seeded_and_flip_is_a_mirror():
    X = np.random.default_rng(0).uniform(size=(4, 32, 32, 3)).astype(np.float32)
    a = P.augment(X, P.build_augmenter(seed=5))
    b = P.augment(X, P.build_augmenter(seed=5))
    assert a.shape == X.shape and 0 <= a.min() and a.max() <= 1
    assert np.allclose(a, b)
    assert not np.allclose(a, X)
    flip_only = P.build_augmenter(rotation_degrees=0, shift=0, shear=0, zoom=0, flip=True, seed=1)
    flipped = P.augment(X, flip_only)
    for original, out in zip(X, flipped):
        assert np.allclose(out, original) or np.allclose(out, original[:, ::-1])


# ---------------------------------------------------------------- LFW (a fixture in sklearn's layout)


def _write_lfw_fixture(data_home, people):
    from PIL import Image

    lfw_home = data_home / "lfw_home"
    (lfw_home / "lfw_funneled").mkdir(parents=True)
    for name in ("pairsDevTrain.txt", "pairsDevTest.txt", "pairs.txt"):
        (lfw_home / name).write_text("1\n")
    for person, (colour, count) in people.items():
        folder = lfw_home / "lfw_funneled" / person
        folder.mkdir()
        for i in range(count):
            pixels = np.zeros((250, 250, 3), np.uint8)
            pixels[:] = colour
            Image.fromarray(pixels).save(folder / f"{person}_{i + 1:04d}.jpg", quality=95)


def test_load_lfw_faces_reads_sklearn_layout(tmp_path):
    people = {"Ada_Example": ((200, 40, 40), 2), "Bob_Example": ((30, 60, 220), 1)}
    _write_lfw_fixture(tmp_path, people)
    X, target, names = P.load_lfw_faces(size=32, data_home=tmp_path, download_if_missing=False)
    assert X.shape == (3, 32, 32, 3) and X.dtype == np.float32
    assert list(names) == ["Ada Example", "Bob Example"]
    for image, label in zip(X, target):
        colour = np.array(people[names[label].replace(" ", "_")][0]) / 255
        assert np.allclose(image.mean(axis=(0, 1)), colour, atol=0.03)
    X16, _, _ = P.load_lfw_faces(size=16, data_home=tmp_path, download_if_missing=False)
    assert X16.shape == (3, 16, 16, 3)


def test_load_lfw_faces_offline_error_is_clear(tmp_path):
    with pytest.raises(DatasetError, match="(?s)LFW faces are not available.*load_patches"):
        P.load_lfw_faces(data_home=tmp_path, download_if_missing=False)
    with pytest.raises(ValueError, match="size"):
        P.load_lfw_faces(size=0, data_home=tmp_path, download_if_missing=False)
