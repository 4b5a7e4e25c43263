"""Tests of coursework_lib.evaluation.reconstruction against scikit-image's PSNR and an explicit MSE."""

import numpy as np
import pytest

from coursework_lib.evaluation import reconstruction
from coursework_lib.models import vae as V


def test_evaluate_reconstruction_matches_scikit_image():
    import keras
    from skimage.metrics import peak_signal_noise_ratio

    keras.utils.set_random_seed(0)
    vae = V.build_conv_vae((8, 8, 1), 3, latent_dim=4, widths=(4, 4, 4, 4), alpha=100.0, seed=0)
    rng = np.random.default_rng(0)
    X_in = rng.uniform(size=(6, 8, 8, 1)).astype(np.float32)
    X_target = rng.uniform(size=(6, 8, 8, 3)).astype(np.float32)
    mse, psnr = reconstruction.evaluate_reconstruction(vae, X_in, X_target)
    X_hat = vae.predict(X_in, verbose=0)  # vae(X) decodes the posterior mean, as reconstruct does
    assert mse == pytest.approx(np.mean((X_target.astype(float) - X_hat) ** 2), rel=1e-5)
    reference = np.mean([peak_signal_noise_ratio(t, h, data_range=1.0) for t, h in zip(X_target, X_hat)])
    assert psnr == pytest.approx(reference, rel=1e-4)
    with pytest.raises(ValueError, match="must have shape"):
        reconstruction.evaluate_reconstruction(vae, X_in, X_target[..., :1])
