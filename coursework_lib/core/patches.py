"""Offline colour images for the VAE chapter: 32x32 patches cut from bundled photographs.

The source report trained on LFW faces, which need a download. Offline, we cut 32x32 colour patches
from the photographs that ship *inside* installed packages: scikit-image (astronaut, chelsea, coffee,
rocket, hubble_deep_field, immunohistochemistry, retina, motorcycle), scikit-learn (china, flower)
and matplotlib (grace_hopper). Whole source images are held out for testing (``TEST_IMAGES``), so a
test patch never overlaps a training patch of the same photograph.

Each photograph is first resized so that its shorter side is one of ``scales`` pixels (a 32x32 patch of
a 1411-pixel retina would be a featureless blur of one vessel), then cut with a sliding window. Nearly
constant patches (per-patch standard deviation below ``min_std``: black sky, background) are dropped,
because they are trivially reconstructed and would flatter every PSNR.

``load_lfw_faces()`` is the source's data for online users (scikit-learn's ``fetch_lfw_people``).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from coursework_lib.core.data import DatasetError
from coursework_lib.core.validation import as_float_array, check_finite_number, check_positive_int

# name -> (package, how to load it)
SOURCE_IMAGES = {
    "astronaut": "scikit-image",
    "chelsea": "scikit-image",
    "coffee": "scikit-image",
    "rocket": "scikit-image",
    "hubble_deep_field": "scikit-image",
    "immunohistochemistry": "scikit-image",
    "retina": "scikit-image",
    "motorcycle": "scikit-image",
    "china": "scikit-learn",
    "flower": "scikit-learn",
    "grace_hopper": "matplotlib",
}
TEST_IMAGES = ("chelsea", "china", "grace_hopper")  # a cat, a building in a landscape, a portrait
TRAIN_IMAGES = tuple(name for name in SOURCE_IMAGES if name not in TEST_IMAGES)
DEFAULT_SCALES = (96, 160, 256)
LUMA_WEIGHTS = np.array([0.2125, 0.7154, 0.0721])  # ITU-R BT.709, as skimage.color.rgb2gray


def load_source_image(name: str) -> np.ndarray:
    """One bundled photograph as uint8 RGB, shape (h, w, 3). Names: ``SOURCE_IMAGES``."""
    if name not in SOURCE_IMAGES:
        raise ValueError(f"name must be one of {sorted(SOURCE_IMAGES)}, got {name!r}")
    package = SOURCE_IMAGES[name]
    if package == "scikit-image":
        from skimage import data

        image = data.stereo_motorcycle()[0] if name == "motorcycle" else getattr(data, name)()
    elif package == "scikit-learn":
        from sklearn.datasets import load_sample_image

        image = load_sample_image(f"{name}.jpg")
    else:
        import matplotlib.image as mpimg
        from matplotlib import cbook

        image = mpimg.imread(cbook.get_sample_data(f"{name}.jpg", asfileobj=False))
    image = np.asarray(image)
    if image.ndim != 3 or image.shape[2] < 3 or image.dtype != np.uint8:
        raise DatasetError(
            f"bundled image {name!r} has shape {image.shape} and dtype {image.dtype}, expected (h, w, 3) uint8"
        )
    return np.ascontiguousarray(image[..., :3])


def resize_shorter_side(image, size: int) -> np.ndarray:
    """Resize (h, w, c) so that min(h, w) == size, keeping the aspect ratio (anti-aliased).

    image: uint8 or float in [0, 1] -> float32 in [0, 1].
    """
    from skimage.transform import resize

    size = check_positive_int(size, "size")
    image = np.asarray(image)
    if image.ndim != 3:
        raise ValueError(f"image must have shape (h, w, c), got {image.shape}")
    if image.dtype == np.uint8:
        image = image.astype(np.float32) / 255.0
    h, w = image.shape[:2]
    scale = size / min(h, w)
    shape = (max(size, round(h * scale)), max(size, round(w * scale)), image.shape[2])
    return resize(image, shape, anti_aliasing=scale < 1, preserve_range=True).astype(np.float32)


def extract_patches(image, patch_size: int = 32, stride: int = 16) -> np.ndarray:
    """All patch_size x patch_size windows of (h, w, c) at steps of ``stride`` (row-major order).

    -> (n, patch_size, patch_size, c), same dtype; n = (1 + (h - p) // stride) * (1 + (w - p) // stride).
    """
    patch_size = check_positive_int(patch_size, "patch_size")
    stride = check_positive_int(stride, "stride")
    image = np.asarray(image)
    if image.ndim != 3:
        raise ValueError(f"image must have shape (h, w, c), got {image.shape}")
    h, w, c = image.shape
    if h < patch_size or w < patch_size:
        raise ValueError(f"image of shape {image.shape} is smaller than patch_size={patch_size}")
    windows = np.lib.stride_tricks.sliding_window_view(image, (patch_size, patch_size), axis=(0, 1))
    windows = windows[::stride, ::stride]  # (rows, cols, c, p, p)
    return np.ascontiguousarray(windows.transpose(0, 1, 3, 4, 2).reshape(-1, patch_size, patch_size, c))


def load_patches(
    split: str = "train", scales=DEFAULT_SCALES, patch_size: int = 32, stride=None, min_std: float = 0.03, images=None
):
    """32x32 colour patches of the training or the held-out test photographs.

    split:   "train" (``TRAIN_IMAGES``, stride 8 by default) or "test" (``TEST_IMAGES``, stride 16).
    scales:  shorter-side sizes each photograph is resized to before cutting.
    min_std: drop patches whose pixel standard deviation is below this (flat background).
    images:  override the list of photograph names.
    -> (X, source): X (n, patch_size, patch_size, 3) float32 in [0, 1]; source (n,) str, the photograph.
    """
    if split not in ("train", "test"):
        raise ValueError(f"split must be 'train' or 'test', got {split!r}")
    names = tuple(images) if images is not None else (TRAIN_IMAGES if split == "train" else TEST_IMAGES)
    stride = stride if stride is not None else (8 if split == "train" else 16)
    min_std = check_finite_number(min_std, "min_std")
    patches, sources = [], []
    for name in names:
        image = load_source_image(name)
        for size in scales:
            P = extract_patches(resize_shorter_side(image, size), patch_size, stride)
            P = P[P.std(axis=(1, 2, 3)) >= min_std]
            patches.append(P)
            sources += [name] * len(P)
    return np.clip(np.concatenate(patches), 0.0, 1.0).astype(np.float32), np.array(sources)


def to_grey(X) -> np.ndarray:
    """Luminance of RGB images with the BT.709 weights of ``skimage.color.rgb2gray``.

    X: (n, h, w, 3) float in [0, 1] -> (n, h, w, 1) float32.
    """
    X = as_float_array(X, "X", ndim=4)
    if X.shape[-1] != 3:
        raise ValueError(f"X must have shape (n, h, w, 3), got {X.shape}")
    return (X @ LUMA_WEIGHTS)[..., None].astype(np.float32)


def grey_to_rgb(G) -> np.ndarray:
    """The grey-image baseline of colourisation: (n, h, w, 1) -> (n, h, w, 3), the grey copied 3 times."""
    G = as_float_array(G, "G", ndim=4)
    if G.shape[-1] != 1:
        raise ValueError(f"G must have shape (n, h, w, 1), got {G.shape}")
    return np.repeat(G, 3, axis=-1).astype(np.float32)


def with_luminance(X_colour, G) -> np.ndarray:
    """Keep the colour (chroma) of X_colour but replace its luminance by G.

    Adds (G - luma(X_colour)) to every channel, then clips to [0, 1]: a predicted colouring keeps the
    sharp grey input instead of the VAE's blurred copy of it. X_colour (n, h, w, 3), G (n, h, w, 1)
    -> (n, h, w, 3) float32.
    """
    X_colour = as_float_array(X_colour, "X_colour", ndim=4)
    G = as_float_array(G, "G", shape=(*X_colour.shape[:3], 1))
    return np.clip(X_colour + (G - to_grey(X_colour)), 0.0, 1.0).astype(np.float32)


def build_augmenter(
    rotation_degrees: float = 15.0,
    shift: float = 0.1,
    shear: float = 0.1,
    zoom: float = 0.1,
    flip: bool = True,
    seed: int = 0,
):
    """The source's augmentation (rotation, shifts, shear, zoom, horizontal flip) as Keras layers.

    Returns a keras.Sequential mapping (batch, h, w, c) float32 -> same shape; random only when called
    with ``training=True``. Borders are filled by reflection.
    """
    import keras
    from keras import layers

    parts = []
    if rotation_degrees:
        parts.append(layers.RandomRotation(rotation_degrees / 360.0, fill_mode="reflect", seed=seed))
    if shift:
        parts.append(layers.RandomTranslation(shift, shift, fill_mode="reflect", seed=seed + 1))
    if shear:
        parts.append(layers.RandomShear(x_factor=shear, y_factor=shear, fill_mode="reflect", seed=seed + 2))
    if zoom:
        parts.append(layers.RandomZoom(zoom, zoom, fill_mode="reflect", seed=seed + 3))
    if flip:
        parts.append(layers.RandomFlip("horizontal", seed=seed + 4))
    return keras.Sequential(parts, name="augmenter")


def augment(X, augmenter=None, seed: int = 0) -> np.ndarray:
    """Apply ``augmenter`` (default :func:`build_augmenter`) once: (n, h, w, c) -> float32 in [0, 1]."""
    X = as_float_array(X, "X", ndim=4, dtype=np.float32)
    augmenter = augmenter if augmenter is not None else build_augmenter(seed=seed)
    return np.clip(np.asarray(augmenter(X, training=True)), 0.0, 1.0)


# --------------------------------------------------------------------------------------------------
# LFW faces (online)
# --------------------------------------------------------------------------------------------------

LFW_SQUARE = (slice(70, 195), slice(62, 187))  # a 125 x 125 square around the face in the 250 x 250 files


def load_lfw_faces(size: int = 32, data_home=None, download_if_missing: bool = True, min_faces_per_person: int = 0):
    """The source's data: Labeled Faces in the Wild in colour, as (n, size, size, 3) float32 in [0, 1].

    Uses ``sklearn.datasets.fetch_lfw_people(color=True)`` (which downloads about 200 MB into
    ``data_home``, default ``~/scikit_learn_data``, the first time) with a square crop around the face,
    resized to ``size`` x ``size``. Returns ``(X, target, target_names)``.

    Raises :class:`coursework_lib.core.data.DatasetError` with instructions when the files are not on disk
    and cannot be downloaded (offline machines: use :func:`load_patches` instead).
    """
    from sklearn.datasets import fetch_lfw_people

    size = check_positive_int(size, "size")
    if size > 125:
        raise ValueError(f"size must be at most 125 (the crop is 125 x 125 pixels), got {size}")
    try:
        bunch = fetch_lfw_people(
            data_home=None if data_home is None else str(data_home),
            color=True,
            resize=(size + 0.5) / 125.0,
            slice_=LFW_SQUARE,
            min_faces_per_person=min_faces_per_person,
            download_if_missing=download_if_missing,
        )
    except (OSError, TimeoutError) as error:  # URLError and HTTPError are OSErrors
        where = Path(data_home) if data_home is not None else Path.home() / "scikit_learn_data"
        raise DatasetError(
            f"LFW faces are not available: {error}.\nscikit-learn looks for them in {where / 'lfw_home'} "
            "(pairs*.txt and the lfw_funneled/ folder) and downloads them (~200 MB) when it is online "
            "and download_if_missing=True. Offline, use coursework_lib.core.patches.load_patches()."
        ) from None
    X = np.clip(bunch.images.astype(np.float32), 0.0, 1.0)
    if X.shape[1:] != (size, size, 3):
        raise DatasetError(f"fetch_lfw_people returned images of shape {X.shape[1:]}, expected {(size, size, 3)}")
    return X, bunch.target, bunch.target_names
