"""Tests of coursework_lib.models.vae: the KL term on tensors against NumPy and calculus, the sampling
layer against the distribution it should draw from, the model's train step, a save/load round trip
through Keras' own file formats, and the shipped weights' loader. (The NumPy maths is tested in
test_vae_theory.py.)"""

import numpy as np
import pytest
from scipy import stats

from coursework_lib.core.artifacts import ArtifactMissing
from coursework_lib.maths import vae_theory
from coursework_lib.models import model_size
from coursework_lib.models import vae as V

RNG = np.random.default_rng(0)


# ---------------------------------------------------------------- the loss terms and the sampling layer


def test_kl_in_keras_ops_and_its_gradient_match_numpy_and_calculus():
    import tensorflow as tf

    mu, log_var = RNG.normal(size=(5, 3)), RNG.normal(size=(5, 3))
    mu_t, lv_t = tf.Variable(mu), tf.Variable(log_var)
    with tf.GradientTape() as tape:
        kl = V.kl_divergence_keras(mu_t, lv_t)
        total = tf.reduce_sum(kl)
    d_mu, d_lv = tape.gradient(total, [mu_t, lv_t])
    assert np.allclose(kl.numpy(), vae_theory.kl_divergence(mu, log_var))
    assert np.allclose(d_mu.numpy(), mu)  # dKL/dmu = mu
    assert np.allclose(d_lv.numpy(), 0.5 * (np.exp(log_var) - 1))  # dKL/dlog_var = (sigma^2 - 1) / 2


def test_mse_per_image_in_keras_ops_matches_a_loop():
    X, X_hat = RNG.uniform(size=(3, 4, 4, 2)), RNG.uniform(size=(3, 4, 4, 2))
    by_hand = [np.mean((x - y) ** 2) for x, y in zip(X, X_hat)]
    assert np.allclose(np.asarray(V.mse_per_image_keras(X, X_hat)), by_hand)


def test_sampling_layer_draws_from_the_posterior_and_passes_gradients():
    import tensorflow as tf

    mu = np.tile(np.array([[1.0, -2.0, 0.5]], dtype=np.float32), (20_000, 1))
    log_var = np.tile(np.array([[0.0, -1.0, 1.0]], dtype=np.float32), (20_000, 1))
    layer = V.Sampling(seed=3)
    mu_t, lv_t = tf.Variable(mu), tf.Variable(log_var)
    with tf.GradientTape() as tape:
        z = layer([mu_t, lv_t])
        total = tf.reduce_sum(z)
    d_mu, d_lv = tape.gradient(total, [mu_t, lv_t])
    z = z.numpy()
    assert np.allclose(z.mean(axis=0), mu[0], atol=0.05)
    assert np.allclose(z.var(axis=0), np.exp(log_var[0]), rtol=0.05)
    assert np.allclose(d_mu.numpy(), 1.0)
    assert np.allclose(d_lv.numpy(), 0.5 * (z - mu), atol=1e-5)  # = exp(log_var / 2) eps / 2
    for j in range(3):  # each coordinate is Gaussian
        assert stats.kstest((z[:, j] - mu[0, j]) / np.exp(0.5 * log_var[0, j]), "norm").pvalue > 1e-3


# ---------------------------------------------------------------- the Keras model


@pytest.fixture(scope="module")
def tiny_vae():
    import keras

    keras.utils.set_random_seed(0)
    vae = V.build_conv_vae((8, 8, 3), 3, latent_dim=4, widths=(4, 4, 4, 4), alpha=100.0, seed=0)
    vae.compile(optimizer=keras.optimizers.Adam(1e-2))
    return vae


def test_builders_give_the_expected_shapes_and_source_size():
    vae = V.build_conv_vae()
    mu, log_var = vae.encoder(np.zeros((2, 32, 32, 3), np.float32))
    assert mu.shape == (2, V.SCALED_LATENT_DIM) and log_var.shape == mu.shape
    assert vae(np.zeros((2, 32, 32, 3), np.float32)).shape == (2, 32, 32, 3)
    colour = V.build_conv_vae((32, 32, 1), output_channels=3)
    assert colour(np.zeros((1, 32, 32, 1), np.float32)).shape == (1, 32, 32, 3)
    source = V.build_conv_vae(widths=V.SOURCE_WIDTHS, latent_dim=V.SOURCE_LATENT_DIM)
    # the two Dense heads of the source: 2 x (8*8*64 + 1) * 1024, and its decoder's Dense (1024 + 1) * 4096
    assert model_size.count_parameters(source) > 2 * 4097 * 1024 + 1025 * 4096
    assert model_size.count_parameters(vae) < model_size.count_parameters(source) / 20
    dense = V.build_dense_vae(latent_dim=2)
    assert dense(np.zeros((3, 28, 28, 1), np.float32)).shape == (3, 28, 28, 1)
    with pytest.raises(ValueError, match="widths"):
        V.build_conv_vae(widths=(8, 8))
    with pytest.raises(ValueError, match="alpha"):
        V.build_dense_vae(alpha=-1.0)


def test_train_step_reduces_the_loss_and_reports_its_parts(tiny_vae):
    X = np.random.default_rng(1).uniform(size=(64, 8, 8, 3)).astype(np.float32)
    X[:, :4] = 0.9  # a structure worth learning
    history = tiny_vae.fit(X, epochs=8, batch_size=16, verbose=0).history
    assert set(history) == {"loss", "reconstruction_mse", "kl"}
    assert history["loss"][-1] < history["loss"][0]
    # the logged loss is the mean over batches of alpha * MSE + KL (up to float32 rounding)
    assert history["loss"][-1] == pytest.approx(100 * history["reconstruction_mse"][-1] + history["kl"][-1], rel=1e-4)
    pairs = tiny_vae.evaluate(X, X[:, :, ::-1], verbose=0, return_dict=True)  # (input, target) pairs
    assert set(pairs) == {"loss", "reconstruction_mse", "kl"}


def test_save_and_load_round_trip(tiny_vae, tmp_path):
    import keras

    X = np.random.default_rng(2).uniform(size=(5, 8, 8, 3)).astype(np.float32)
    expected = tiny_vae.predict(X, verbose=0)
    tiny_vae.save(tmp_path / "vae.keras")
    loaded = keras.models.load_model(tmp_path / "vae.keras")
    assert isinstance(loaded, V.VAE) and loaded.alpha == tiny_vae.alpha
    assert np.array_equal(loaded.predict(X, verbose=0), expected)
    tiny_vae.save_weights(tmp_path / "vae.weights.h5")
    fresh = V.build_conv_vae((8, 8, 3), 3, latent_dim=4, widths=(4, 4, 4, 4), alpha=100.0)
    assert not np.array_equal(fresh.predict(X, verbose=0), expected)
    fresh.load_weights(tmp_path / "vae.weights.h5")
    assert np.array_equal(fresh.predict(X, verbose=0), expected)
    mu, _ = V.encode(fresh, X)
    assert np.allclose(V.decode(fresh, mu), expected, atol=1e-6)


def test_helpers_validate_inputs(tiny_vae):
    with pytest.raises(ValueError, match="Z must have shape"):
        V.decode(tiny_vae, np.zeros((2, 7)))
    with pytest.raises(ValueError, match="X must have 4 dimensions"):
        V.encode(tiny_vae, np.zeros((8, 8, 3)))
    assert V.sample_prior(tiny_vae, 3, seed=0).shape == (3, 8, 8, 3)
    with pytest.raises(ValueError, match="name must be one of"):
        V.load_pretrained("nope")


def test_load_pretrained_rebuilds_the_shipped_settings_and_names_the_make_target(tmp_path):
    import json

    vae, info = V.load_pretrained("vae_patches_colour")
    assert info["task"] == "colour" and isinstance(vae, V.ChromaVAE) and info["keep_luminance"]
    assert vae.encoder.input_shape == (None, *info["input_shape"]) and vae.latent_dim == info["latent_dim"]
    assert vae.decoder.output_shape == (None, 32, 32, 2) and vae.alpha == info["alpha"]  # two chroma coordinates
    assert vae(np.zeros((1, 32, 32, 1), np.float32)).shape == (1, 32, 32, info["output_channels"])
    assert vae.reconstruction == info["reconstruction"] == "rmse"
    recon, info_recon = V.load_pretrained("vae_patches_recon")
    assert recon.reconstruction == info_recon.get("reconstruction", "mse") == "mse" and type(recon) is V.VAE
    with pytest.raises(ArtifactMissing, match="make weights-vae"):
        V.load_pretrained("vae_patches_recon", directory=tmp_path)  # no .json
    (tmp_path / "vae_patches_recon.json").write_text(json.dumps(info))
    with pytest.raises(ArtifactMissing, match="(?s)weights.h5.*make weights-vae"):
        V.load_pretrained("vae_patches_recon", directory=tmp_path)  # a .json but no weights


# ---------------------------------------------------------------- the source's RMSE loss and the chroma colouriser


def _without_sampling(vae):
    """Make the model decode the posterior mean in training too, so the loss can be recomputed in NumPy."""
    vae.sampling = lambda inputs: inputs[0]
    return vae


def test_rmse_loss_is_alpha_times_the_mean_per_image_rmse_plus_the_kl():
    rng = np.random.default_rng(3)
    X, target = rng.uniform(size=(2, 6, 8, 8, 3)).astype(np.float32)
    for reconstruction in ("rmse", "mse"):
        vae = V.build_conv_vae((8, 8, 3), 3, 4, (4, 4, 4, 4), alpha=50.0, seed=0, reconstruction=reconstruction)
        vae = _without_sampling(vae)
        loss, mse, kl = (float(t) for t in vae.compute_losses(X, target, training=False))
        X_hat = np.asarray(vae(X))
        mu, log_var = (np.asarray(t) for t in vae.encoder(X))
        per_image = np.array([np.mean((a.astype(np.float64) - b) ** 2) for a, b in zip(target, X_hat)])
        term = np.sqrt(per_image) if reconstruction == "rmse" else per_image
        expected = 50.0 * term.mean() + vae_theory.kl_divergence(mu, log_var).mean()
        assert loss == pytest.approx(expected, rel=1e-5)
        assert mse == pytest.approx(per_image.mean(), rel=1e-5)  # the MSE is tracked either way
        assert kl == pytest.approx(vae_theory.kl_divergence(mu, log_var).mean(), rel=1e-5)
    with pytest.raises(ValueError, match="reconstruction must be one of"):
        V.build_conv_vae(reconstruction="mae")


def test_chroma_basis_is_orthonormal_and_leaves_luminance_unchanged():
    from coursework_lib.core.patches import LUMA_WEIGHTS, to_grey

    basis = V.chroma_basis().astype(np.float64)
    np.testing.assert_allclose(basis @ basis.T, np.eye(2), atol=1e-6)
    np.testing.assert_allclose(basis @ LUMA_WEIGHTS, 0.0, atol=1e-6)
    rng = np.random.default_rng(4)
    G = rng.uniform(0.3, 0.7, size=(3, 4, 4, 1)).astype(np.float32)
    C = rng.uniform(-0.1, 0.1, size=(3, 4, 4, 2)).astype(np.float32)  # small: nothing clips
    rgb = np.asarray(V.add_chroma_keras(G, C))
    np.testing.assert_allclose(to_grey(rgb), G, atol=1e-6)  # the luminance is the grey input
    np.testing.assert_allclose(rgb - G, C @ basis, atol=1e-6)  # the colour is the chroma


def test_chroma_vae_keeps_the_input_luminance_and_trains():
    from coursework_lib.core.patches import to_grey

    vae = V.build_conv_vae((8, 8, 1), 3, 4, (4, 4, 4, 4), alpha=100.0, seed=0, keep_luminance=True)
    assert isinstance(vae, V.ChromaVAE) and vae.decoder.output_shape == (None, 8, 8, 2)
    rng = np.random.default_rng(5)
    X = np.clip(0.5 + 0.1 * rng.standard_normal((32, 8, 8, 3)), 0, 1).astype(np.float32)
    X[..., 0] += 0.15  # a red cast worth learning
    G = to_grey(X)
    out = V.reconstruct(vae, G)
    assert out.shape == (32, 8, 8, 3)
    inside = (out > 0) & (out < 1)
    assert inside.all()
    np.testing.assert_allclose(to_grey(out), G, atol=1e-5)
    vae.compile(optimizer="adam")
    history = vae.fit(G, X, epochs=5, batch_size=8, verbose=0).history
    assert history["reconstruction_mse"][-1] < history["reconstruction_mse"][0]
    with pytest.raises(ValueError, match="keep_luminance"):
        V.build_conv_vae((8, 8, 3), 3, 4, (4, 4, 4, 4), keep_luminance=True)


# ---------------------------------------------------------------- make weights-vae DATASET=lfw, offline


def _train_vae_script():
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "scripts" / "train_vae.py"
    spec = importlib.util.spec_from_file_location("train_vae_script", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _offline_fetch(calls):
    """A stand-in for fetch_lfw_people offline: it starts writing the archive, then the network fails."""

    def fetch(size, data_home, download_if_missing):
        calls.append((size, data_home, download_if_missing))
        folder = data_home / "lfw_home"
        folder.mkdir(parents=True)
        (folder / "lfw-funneled.tgz").write_bytes(b"partial")
        raise OSError("<urlopen error [Errno -3] Temporary failure in name resolution>")

    return fetch


def test_lfw_offline_fails_with_instructions_and_leaves_no_partial_files(tmp_path):
    script = _train_vae_script()
    calls = []
    home = tmp_path / "new_home"  # does not exist yet
    with pytest.raises(script.LFWUnavailable) as error:
        script.load_lfw(home, fetch=_offline_fetch(calls))
    message = str(error.value)
    for needed in ("lfw-funneled.tgz", "figshare", "name resolution", "LFW_HOME", "make weights-vae DATASET=lfw"):
        assert needed in message
    assert calls and calls[0][2] is True  # it did try to download
    assert not home.exists()  # the folder it created is gone, with the partial archive
    existing = tmp_path / "existing"
    (existing / "other").mkdir(parents=True)
    with pytest.raises(script.LFWUnavailable):
        script.load_lfw(existing, fetch=_offline_fetch([]))
    assert sorted(p.name for p in existing.iterdir()) == ["other"]  # what was there stays, nothing else


def test_lfw_download_is_moved_into_place_only_when_complete_and_reused(tmp_path):
    script = _train_vae_script()
    calls = []

    def fetch(size, data_home, download_if_missing):
        calls.append((data_home, download_if_missing))
        (data_home / "lfw_home").mkdir(exist_ok=True)
        (data_home / "lfw_home" / "pairs.txt").write_text("done")
        return np.zeros((4, size, size, 3), np.float32), None, None

    X = script.load_lfw(tmp_path, size=8, fetch=fetch)
    assert X.shape == (4, 8, 8, 3)
    assert (tmp_path / "lfw_home" / "pairs.txt").read_text() == "done"
    assert [p.name for p in tmp_path.iterdir()] == ["lfw_home"]  # the staging folder is gone
    script.load_lfw(tmp_path, size=8, fetch=fetch)  # already on disk: no download
    assert calls[-1] == (tmp_path, False)


def test_make_weights_vae_dataset_lfw_exits_at_once_offline(tmp_path, monkeypatch, capsys):
    import time

    from coursework_lib.core import patches

    script = _train_vae_script()
    monkeypatch.setattr(patches, "load_lfw_faces", _offline_fetch([]))  # no network in the unit tests
    out = tmp_path / "weights"
    start = time.perf_counter()
    status = script.main(["--dataset", "lfw", "--lfw-home", str(tmp_path / "lfw"), "--out", str(out)])
    assert status == 2 and time.perf_counter() - start < 10
    assert "LFW faces are not available" in capsys.readouterr().err
    assert not out.exists() and not (tmp_path / "lfw").exists()
