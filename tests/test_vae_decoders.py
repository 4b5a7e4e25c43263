"""Training a VAE decoder: shapes, determinism for a seed, and a falling negative ELBO."""

import numpy as np
import pytest

from coursework_lib.training.vae_decoders import train_vae_decoder


def test_decoder_layers_are_deterministic_and_learn(capsys):
    rng = np.random.default_rng(0)
    X = (rng.random((200, 784)) < 0.2).astype(np.float32)
    a = train_vae_decoder(X, 3, (16,), (16,), num_epochs=6, batch_size=50, lr=1e-2, seed=1, verbose=True)
    b = train_vae_decoder(X, 3, (16,), (16,), num_epochs=6, batch_size=50, lr=1e-2, seed=1, verbose=False)
    assert [(W.shape, bias.shape) for W, bias in a] == [((3, 16), (16,)), ((16, 784), (784,))]
    assert all(W.dtype == np.float32 for W, _ in a)
    for (W, bias), (W2, bias2) in zip(a, b):
        np.testing.assert_array_equal(W, W2)
        np.testing.assert_array_equal(bias, bias2)
    losses = [float(line.split("-ELBO")[1].split()[0]) for line in capsys.readouterr().out.splitlines()]
    assert len(losses) == 2 and losses[-1] < losses[0]  # epochs 1 and 6 are printed


def test_errors_name_the_argument():
    with pytest.raises(ValueError, match="X"):
        train_vae_decoder(np.zeros((4, 783)), 2, num_epochs=1)
    with pytest.raises(ValueError, match="latent_dim"):
        train_vae_decoder(np.zeros((4, 784)), 0, num_epochs=1)
