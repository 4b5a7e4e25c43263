"""How well an autoencoder rebuilds its target: chapter 6's reconstruction scores of a VAE."""

from __future__ import annotations

import numpy as np

from coursework_lib.evaluation.image_quality import mean_psnr, mse_per_image
from coursework_lib.models.vae import reconstruct


def evaluate_reconstruction(vae, X_in, X_target, batch_size: int = 512):
    """Score ``models.vae.reconstruct(vae, X_in)`` (the posterior mean, decoded) against X_target.

    X_in: (n, h, w, c_in) float32; X_target: (n, h, w, c_out) float in [0, 1], the decoder's output
    shape (X_in itself for reconstruction, the clean or colour images for denoising or colourisation).
    -> (mse, psnr): the mean per-pixel MSE and the mean PSNR in dB over the n images, two floats.
    """
    X_hat = reconstruct(vae, X_in, batch_size)
    return float(np.mean(mse_per_image(X_target, X_hat))), mean_psnr(X_target, X_hat)
