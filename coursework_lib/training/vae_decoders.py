"""Training the generators of chapter 8 as VAE decoders (run by ``scripts/train_eights_generator.py``
and ``scripts/train_digits_generator.py``; ``make weights-ch08``).

Why a VAE and not a GAN: on a shared 2-core CPU a VAE trains in a minute or two, deterministically and
without the mode collapse or the tuning a GAN needs, and its decoder can have exactly the source's
architecture. This is a dense VAE with a Bernoulli likelihood and its own loop, not chapter 6's
:class:`coursework_lib.models.vae.VAE` (convolutional builders, a weighted MSE loss, Keras' own
sampling): the shipped ``data/eights/data21.mat`` and ``weights/digits_generator.npz`` were made by
this loop, and changing it would change them. The KL term is the library's one formula on tensors,
:func:`coursework_lib.models.vae.kl_divergence_keras`.
"""

from __future__ import annotations

import numpy as np

from coursework_lib.core.validation import as_float_array, check_positive_int
from coursework_lib.models.vae import kl_divergence_keras

NUM_PIXELS = 784


def train_vae_decoder(
    X,
    latent_dim: int,
    decoder_hidden=(128,),
    encoder_hidden=(256,),
    *,
    num_epochs: int = 100,
    batch_size: int = 128,
    lr: float = 1e-3,
    seed: int = 0,
    verbose: bool = True,
) -> tuple:
    """Train a VAE on X: (n, 784) float32 in [0, 1]; return its decoder's layers.

    Encoder: ReLU MLP (``encoder_hidden`` widths) -> (mean, log-variance) of q(z|x), each (batch,
    latent_dim). Decoder: ReLU MLP (``decoder_hidden``) -> 784 logits, Bernoulli likelihood, N(0, I)
    prior, one reparameterised sample per image; Adam on the batch mean of the negative ELBO.
    Deterministic for a ``seed``: Glorot initialisers, the batch order and eps come from it.
    Returns ((W (d_in, d_out), b (d_out,)), ...) float32 per decoder layer, the last one giving the
    logits: ``restoration.generators.DenseGenerator(weights)`` is the trained generator.
    """
    import tensorflow as tf

    X = as_float_array(X, "X", shape=(None, NUM_PIXELS), dtype=np.float32)
    latent_dim = check_positive_int(latent_dim, "latent_dim")
    tf.random.set_seed(seed)
    init = tf.keras.initializers.GlorotUniform(seed=seed)

    encoder = tf.keras.Sequential(
        [tf.keras.layers.Input((NUM_PIXELS,))]
        + [tf.keras.layers.Dense(h, activation="relu", kernel_initializer=init) for h in encoder_hidden]
        + [tf.keras.layers.Dense(2 * latent_dim, kernel_initializer=init)],
        name="encoder",
    )
    decoder = tf.keras.Sequential(
        [tf.keras.layers.Input((latent_dim,))]
        + [tf.keras.layers.Dense(h, activation="relu", kernel_initializer=init) for h in decoder_hidden]
        + [tf.keras.layers.Dense(NUM_PIXELS, kernel_initializer=init)],
        name="decoder",
    )
    optimizer = tf.keras.optimizers.Adam(lr)
    variables = encoder.trainable_variables + decoder.trainable_variables

    @tf.function
    def step(x, eps):
        with tf.GradientTape() as tape:
            stats = encoder(x)
            mean, logvar = stats[:, :latent_dim], stats[:, latent_dim:]
            z = mean + tf.exp(0.5 * logvar) * eps
            logits = decoder(z)
            rec = tf.reduce_sum(tf.nn.sigmoid_cross_entropy_with_logits(labels=x, logits=logits), axis=1)
            kl = kl_divergence_keras(mean, logvar)
            loss = tf.reduce_mean(rec + kl)
        optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))
        return loss, tf.reduce_mean(rec)

    rng = np.random.default_rng(seed)
    n = len(X)
    for epoch in range(num_epochs):
        order = rng.permutation(n)
        total, total_rec, batches = 0.0, 0.0, 0
        for start in range(0, n, batch_size):
            x = X[order[start : start + batch_size]]
            eps = rng.standard_normal((len(x), latent_dim)).astype(np.float32)
            loss, rec = step(tf.constant(x), tf.constant(eps))
            total, total_rec, batches = total + float(loss), total_rec + float(rec), batches + 1
        if verbose and (epoch % 5 == 0 or epoch == num_epochs - 1):
            print(
                f"epoch {epoch + 1:3d}/{num_epochs}: -ELBO {total / batches:.2f}  "
                f"reconstruction {total_rec / batches:.2f} nats/image",
                flush=True,
            )
    return tuple(
        (layer.kernel.numpy().astype(np.float32), layer.bias.numpy().astype(np.float32)) for layer in decoder.layers
    )
