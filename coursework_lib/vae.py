"""Variational autoencoders: the maths (reparameterisation, KL term, ELBO) and a Keras model.

Notation: an encoder maps an image ``X`` to the mean ``mu`` and the log-variance ``log_var`` of a
diagonal Gaussian q(z | x) = N(mu, diag(exp(log_var))); the reparameterisation draws
``z = mu + exp(log_var / 2) * eps`` with ``eps ~ N(0, I)``; a decoder maps ``z`` back to an image.

The loss is the source report's weighted form

    loss = alpha * reconstruction + KL(q(z | x) || N(0, I)),

with ``reconstruction`` the per-pixel mean squared error of each image and the KL term in closed form

    KL = 1/2 * sum_j (mu_j^2 + sigma_j^2 - 1 - log sigma_j^2)  >= 0.

The source wrote ``1/2 * sum_j (1 + log sigma_j^2 - mu_j^2 - sigma_j^2)`` and called it the KL: that is
*minus* the KL (:func:`source_kl_term`), a quantity that is never positive. Minimising it would push the
posterior *away* from the prior; the source's code subtracted it, which is the same as adding the KL.

NumPy functions (``reparameterize``, ``kl_divergence``, ...) are the reference maths; :class:`Sampling`
and :class:`VAE` are the Keras versions used for training.
"""

from __future__ import annotations

import numpy as np

from .metrics import mean_psnr, mse_per_image
from .validation import as_float_array, check_finite_number, check_positive_int

# --------------------------------------------------------------------------------------------------
# The maths in NumPy
# --------------------------------------------------------------------------------------------------


def _mu_log_var(mu, log_var):
    mu = as_float_array(mu, "mu", ndim=(1, 2))
    log_var = as_float_array(log_var, "log_var", ndim=(1, 2))
    if mu.shape != log_var.shape:
        raise ValueError(f"mu and log_var must have the same shape, got {mu.shape} and {log_var.shape}")
    return mu, log_var


def reparameterize(mu, log_var, eps):
    """z = mu + exp(log_var / 2) * eps.

    mu, log_var, eps: (batch, latent_dim) or (latent_dim,) float -> z of the same shape, float.
    """
    mu, log_var = _mu_log_var(mu, log_var)
    eps = as_float_array(eps, "eps", shape=mu.shape)
    return mu + np.exp(0.5 * log_var) * eps


def reparameterization_gradients(mu, log_var, eps, dz):
    """Backward pass of the sampling layer: given dL/dz, return (dL/dmu, dL/dlog_var).

    From z = mu + exp(log_var / 2) * eps: dz/dmu = 1 and dz/dlog_var = exp(log_var / 2) * eps / 2.
    All arguments (batch, latent_dim) float -> a tuple of two arrays of that shape.
    """
    mu, log_var = _mu_log_var(mu, log_var)
    eps = as_float_array(eps, "eps", shape=mu.shape)
    dz = as_float_array(dz, "dz", shape=mu.shape)
    return dz.copy(), dz * 0.5 * np.exp(0.5 * log_var) * eps


def kl_divergence(mu, log_var):
    """KL(N(mu, diag(exp(log_var))) || N(0, I)) in closed form, one value per row.

    mu, log_var: (batch, latent_dim) -> (batch,) float, every value >= 0; a 1-D input -> a float.
    """
    mu, log_var = _mu_log_var(mu, log_var)
    kl = 0.5 * np.sum(mu ** 2 + np.exp(log_var) - 1.0 - log_var, axis=-1)
    return kl if kl.ndim else float(kl)


def source_kl_term(mu, log_var):
    """The source's expression 1/2 * sum(1 + log_var - mu^2 - exp(log_var)) = -KL (never positive).

    Same shapes as :func:`kl_divergence`; kept to show the sign error, not for training.
    """
    mu, log_var = _mu_log_var(mu, log_var)
    term = 0.5 * np.sum(1.0 + log_var - mu ** 2 - np.exp(log_var), axis=-1)
    return term if term.ndim else float(term)


def gaussian_log_density(z, mu, log_var):
    """log N(z; mu, diag(exp(log_var))), summed over the last axis. Shapes broadcast; -> (...,)."""
    z = np.asarray(z, dtype=float)
    return -0.5 * np.sum(np.log(2 * np.pi) + log_var + (z - mu) ** 2 / np.exp(log_var), axis=-1)


def kl_monte_carlo(mu, log_var, num_samples: int = 100_000, seed: int = 0):
    """Monte-Carlo estimate of the same KL: the mean of log q(z) - log p(z) over z ~ q.

    mu, log_var: (latent_dim,) -> (estimate, standard_error), two floats. Independent of the closed
    form (it only evaluates two Gaussian densities), so it checks :func:`kl_divergence`.
    """
    mu, log_var = _mu_log_var(mu, log_var)
    if mu.ndim != 1:
        raise ValueError(f"mu must have shape (latent_dim,), got {mu.shape}")
    num_samples = check_positive_int(num_samples, "num_samples")
    eps = np.random.default_rng(seed).standard_normal((num_samples, mu.size))
    z = mu + np.exp(0.5 * log_var) * eps
    log_ratio = gaussian_log_density(z, mu, log_var) - gaussian_log_density(z, 0.0, np.zeros_like(mu))
    return float(log_ratio.mean()), float(log_ratio.std(ddof=1) / np.sqrt(num_samples))


def vae_loss(X, X_hat, mu, log_var, alpha: float):
    """The source's weighted loss: alpha * mean_i(MSE_i) + mean_i(KL_i), i over the batch.

    X, X_hat: (batch, ...) float; mu, log_var: (batch, latent_dim) -> float.
    """
    alpha = check_finite_number(alpha, "alpha", positive=True)
    mu, log_var = _mu_log_var(mu, log_var)
    return float(alpha * np.mean(mse_per_image(X, X_hat)) + np.mean(kl_divergence(mu, log_var)))


def interpolate_latents(z_a, z_b, num: int = 8):
    """Points (1 - t) z_a + t z_b for t = 0 .. 1 evenly. z_a, z_b: (latent_dim,) -> (num, latent_dim)."""
    z_a = as_float_array(z_a, "z_a", ndim=1)
    z_b = as_float_array(z_b, "z_b", shape=z_a.shape)
    num = check_positive_int(num, "num")
    t = np.linspace(0.0, 1.0, num)[:, None]
    return (1.0 - t) * z_a + t * z_b


def latent_grid(extent: float = 2.5, num: int = 15):
    """A num x num grid of 2-D latent points in [-extent, extent]^2, first row at the top (largest z2).

    -> (num * num, 2) float32, row-major (z1 varies fastest).
    """
    extent = check_finite_number(extent, "extent", positive=True)
    num = check_positive_int(num, "num")
    values = np.linspace(-extent, extent, num)
    z1, z2 = np.meshgrid(values, values[::-1])
    return np.stack([z1.ravel(), z2.ravel()], axis=1).astype(np.float32)


# --------------------------------------------------------------------------------------------------
# Keras: the sampling layer, the losses in keras.ops, the VAE model
# --------------------------------------------------------------------------------------------------

import keras  # noqa: E402  (after the NumPy maths, which does not need it)
from keras import layers, ops  # noqa: E402


def kl_divergence_ops(mu, log_var):
    """:func:`kl_divergence` in keras.ops: (batch, latent_dim) tensors -> (batch,) tensor."""
    return 0.5 * ops.sum(ops.square(mu) + ops.exp(log_var) - 1.0 - log_var, axis=-1)


def mse_per_image_ops(X, X_hat):
    """:func:`mse_per_image` in keras.ops: (batch, h, w, c) tensors -> (batch,) tensor."""
    return ops.mean(ops.square(X - X_hat), axis=(1, 2, 3))


@keras.saving.register_keras_serializable(package="coursework_lib")
class Sampling(layers.Layer):
    """The reparameterisation as a layer: [mu, log_var] -> mu + exp(log_var / 2) * eps, eps ~ N(0, I).

    mu, log_var: (batch, latent_dim) float32 -> z (batch, latent_dim) float32. ``seed`` makes the
    sequence of draws reproducible. Gradients flow to mu and log_var because eps is an input to a
    differentiable expression, not a sample *of* mu and log_var.
    """

    def __init__(self, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)

    def call(self, inputs):
        mu, log_var = inputs
        eps = keras.random.normal(ops.shape(mu), seed=self.seed_generator)
        return mu + ops.exp(0.5 * log_var) * eps

    def compute_output_shape(self, input_shape):
        return input_shape[0]

    def get_config(self):
        return {**super().get_config(), "seed": self.seed}


@keras.saving.register_keras_serializable(package="coursework_lib")
class VAE(keras.Model):
    """A variational autoencoder with its own ``train_step``.

    encoder: a Keras model X -> [mu, log_var], each (batch, latent_dim).
    decoder: a Keras model z (batch, latent_dim) -> X_hat (batch, h, w, c) in [0, 1].
    alpha:   weight of the per-pixel reconstruction MSE in ``alpha * MSE + KL``.

    ``fit`` takes either images ``X`` (reconstruct X) or pairs ``(X_in, X_target)`` (denoising:
    noisy in, clean target; colourisation: grey in, colour target). Metrics: ``loss``,
    ``reconstruction_mse`` (per pixel) and ``kl`` (per image, nats). ``vae(X)`` decodes the posterior
    mean (deterministic); training decodes a sample z.
    """

    def __init__(self, encoder, decoder, alpha: float = 1000.0, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.encoder = encoder
        self.decoder = decoder
        self.alpha = check_finite_number(alpha, "alpha", positive=True)
        self.seed = seed
        self.sampling = Sampling(seed=seed, name="sampling")
        self.loss_tracker = keras.metrics.Mean(name="loss")
        self.reconstruction_tracker = keras.metrics.Mean(name="reconstruction_mse")
        self.kl_tracker = keras.metrics.Mean(name="kl")
        self.built = True  # the encoder and decoder arrive built; Sampling has no weights to create

    @property
    def latent_dim(self) -> int:
        return int(self.encoder.outputs[0].shape[-1])

    @property
    def metrics(self):
        return [self.loss_tracker, self.reconstruction_tracker, self.kl_tracker]

    def call(self, inputs, training=False):
        mu, log_var = self.encoder(inputs, training=training)
        z = self.sampling([mu, log_var]) if training else mu
        return self.decoder(z, training=training)

    def compute_losses(self, X_in, X_target, training):
        """Forward pass with a sampled z: -> (loss, mean reconstruction MSE, mean KL), scalar tensors."""
        mu, log_var = self.encoder(X_in, training=training)
        z = self.sampling([mu, log_var])
        X_hat = self.decoder(z, training=training)
        reconstruction = ops.mean(mse_per_image_ops(X_target, X_hat))
        kl = ops.mean(kl_divergence_ops(mu, log_var))
        return self.alpha * reconstruction + kl, reconstruction, kl

    @staticmethod
    def _split(data):
        if isinstance(data, (tuple, list)):
            if len(data) == 1:
                return data[0], data[0]
            return data[0], data[1]
        return data, data

    def _update(self, loss, reconstruction, kl):
        self.loss_tracker.update_state(loss)
        self.reconstruction_tracker.update_state(reconstruction)
        self.kl_tracker.update_state(kl)
        return {m.name: m.result() for m in self.metrics}

    def train_step(self, data):
        import tensorflow as tf

        X_in, X_target = self._split(data)
        with tf.GradientTape() as tape:
            loss, reconstruction, kl = self.compute_losses(X_in, X_target, training=True)
        grads = tape.gradient(loss, self.trainable_weights)
        self.optimizer.apply_gradients(zip(grads, self.trainable_weights))
        return self._update(loss, reconstruction, kl)

    def test_step(self, data):
        X_in, X_target = self._split(data)
        return self._update(*self.compute_losses(X_in, X_target, training=False))

    def get_config(self):
        return {**super().get_config(),
                "encoder": keras.saving.serialize_keras_object(self.encoder),
                "decoder": keras.saving.serialize_keras_object(self.decoder),
                "alpha": self.alpha, "seed": self.seed}

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        config["encoder"] = keras.saving.deserialize_keras_object(config["encoder"])
        config["decoder"] = keras.saving.deserialize_keras_object(config["decoder"])
        return cls(**config)


# --------------------------------------------------------------------------------------------------
# Builders
# --------------------------------------------------------------------------------------------------

SOURCE_WIDTHS = (32, 64, 64, 64)     # the source's encoder convolutions
SOURCE_LATENT_DIM = 1024
SCALED_WIDTHS = (16, 32, 32, 32)     # ours: half the widths ...
SCALED_LATENT_DIM = 32               # ... and a 32-dimensional latent space (see the chapter)
STRIDES = (1, 2, 2, 1)


def _check_widths(widths, name):
    widths = tuple(widths)
    if len(widths) != 4:
        raise ValueError(f"{name} must have 4 entries (one per convolution), got {widths!r}")
    return tuple(check_positive_int(w, name) for w in widths)


def build_conv_encoder(input_shape=(32, 32, 3), latent_dim: int = SCALED_LATENT_DIM,
                       widths=SCALED_WIDTHS, name: str = "encoder"):
    """The source's encoder: 4 x [Conv2D(3x3, strides 1,2,2,1) -> ReLU -> BatchNorm] -> Flatten ->
    Dense mu, Dense log_var.

    Input (batch, h, w, c) float32 in [0, 1], h and w divisible by 4 -> [mu, log_var], (batch, latent_dim).
    """
    latent_dim = check_positive_int(latent_dim, "latent_dim")
    widths = _check_widths(widths, "widths")
    h, w, _ = input_shape
    if h % 4 or w % 4:
        raise ValueError(f"input_shape height and width must be divisible by 4, got {input_shape}")
    X = keras.Input(shape=tuple(input_shape), name="image")
    A = X
    for i, (filters, stride) in enumerate(zip(widths, STRIDES)):
        A = layers.Conv2D(filters, 3, strides=stride, padding="same", name=f"conv{i + 1}")(A)
        A = layers.ReLU(name=f"relu{i + 1}")(A)
        A = layers.BatchNormalization(momentum=0.9, name=f"bn{i + 1}")(A)
    A = layers.Flatten(name="flatten")(A)
    mu = layers.Dense(latent_dim, name="mu")(A)
    log_var = layers.Dense(latent_dim, name="log_var")(A)
    return keras.Model(X, [mu, log_var], name=name)


def build_conv_decoder(latent_dim: int = SCALED_LATENT_DIM, output_shape=(32, 32, 3),
                       widths=SCALED_WIDTHS[1:], name: str = "decoder"):
    """The source's decoder: Dense(h/4 * w/4 * widths[0]) -> reshape -> ConvT(widths[0], s1) ->
    ConvT(widths[1], s2) -> ConvT(widths[2], s2) (each ReLU -> BatchNorm) -> ConvT(c, s1) -> sigmoid.

    z (batch, latent_dim) float32 -> X_hat (batch, h, w, c) float32 in (0, 1).
    """
    latent_dim = check_positive_int(latent_dim, "latent_dim")
    widths = tuple(check_positive_int(w, "widths") for w in widths)
    if len(widths) != 3:
        raise ValueError(f"widths must have 3 entries, got {widths!r}")
    h, w, c = output_shape
    z = keras.Input(shape=(latent_dim,), name="z")
    A = layers.Dense((h // 4) * (w // 4) * widths[0], name="dense")(z)
    A = layers.Reshape((h // 4, w // 4, widths[0]), name="reshape")(A)
    for i, (filters, stride) in enumerate(zip(widths, STRIDES[:3])):
        A = layers.Conv2DTranspose(filters, 3, strides=stride, padding="same", name=f"deconv{i + 1}")(A)
        A = layers.ReLU(name=f"relu{i + 1}")(A)
        A = layers.BatchNormalization(momentum=0.9, name=f"bn{i + 1}")(A)
    A = layers.Conv2DTranspose(c, 3, strides=1, padding="same", name="deconv4")(A)
    X_hat = layers.Activation("sigmoid", name="sigmoid")(A)
    return keras.Model(z, X_hat, name=name)


def build_conv_vae(input_shape=(32, 32, 3), output_channels: int = 3, latent_dim: int = SCALED_LATENT_DIM,
                   widths=SCALED_WIDTHS, alpha: float = 1000.0, seed=None, name: str = "conv_vae"):
    """Encoder + decoder of the source's convolutional VAE, wrapped in :class:`VAE` (not compiled).

    input_shape: (h, w, c_in); the decoder outputs (h, w, output_channels) (1 -> 3 for colourisation).
    The source's sizes are ``widths=SOURCE_WIDTHS, latent_dim=SOURCE_LATENT_DIM``.
    """
    widths = _check_widths(widths, "widths")
    output_channels = check_positive_int(output_channels, "output_channels")
    encoder = build_conv_encoder(input_shape, latent_dim, widths)
    decoder = build_conv_decoder(latent_dim, (*tuple(input_shape)[:2], output_channels), widths[1:])
    return VAE(encoder, decoder, alpha=alpha, seed=seed, name=name)


def build_dense_vae(input_shape=(28, 28, 1), latent_dim: int = 2, hidden: int = 256,
                    alpha: float = 1000.0, seed=None, name: str = "dense_vae"):
    """A small fully connected VAE for MNIST: Flatten -> Dense(hidden, ReLU) -> mu, log_var;
    z -> Dense(hidden, ReLU) -> Dense(h*w*c, sigmoid) -> reshape. Not compiled.
    """
    latent_dim = check_positive_int(latent_dim, "latent_dim")
    hidden = check_positive_int(hidden, "hidden")
    X = keras.Input(shape=tuple(input_shape), name="image")
    A = layers.Dense(hidden, activation="relu", name="hidden")(layers.Flatten(name="flatten")(X))
    encoder = keras.Model(X, [layers.Dense(latent_dim, name="mu")(A),
                              layers.Dense(latent_dim, name="log_var")(A)], name="encoder")
    z = keras.Input(shape=(latent_dim,), name="z")
    A = layers.Dense(hidden, activation="relu", name="hidden")(z)
    A = layers.Dense(int(np.prod(input_shape)), activation="sigmoid", name="pixels")(A)
    decoder = keras.Model(z, layers.Reshape(tuple(input_shape), name="reshape")(A), name="decoder")
    return VAE(encoder, decoder, alpha=alpha, seed=seed, name=name)


def count_parameters(model) -> int:
    """Number of trainable + non-trainable parameters of a built Keras model."""
    return int(sum(np.prod(w.shape) for w in model.weights))


# --------------------------------------------------------------------------------------------------
# Using a trained VAE on NumPy arrays
# --------------------------------------------------------------------------------------------------


def encode(vae, X, batch_size: int = 512):
    """X (n, h, w, c) float32 -> (mu, log_var), two (n, latent_dim) float32 arrays."""
    X = as_float_array(X, "X", ndim=4, dtype=np.float32)
    mu, log_var = vae.encoder.predict(X, batch_size=batch_size, verbose=0)
    return mu, log_var


def decode(vae, Z, batch_size: int = 512):
    """Z (n, latent_dim) -> images (n, h, w, c) float32 in (0, 1)."""
    Z = as_float_array(Z, "Z", ndim=2, dtype=np.float32)
    if Z.shape[1] != vae.latent_dim:
        raise ValueError(f"Z must have shape (n, {vae.latent_dim}), got {Z.shape}")
    return vae.decoder.predict(Z, batch_size=batch_size, verbose=0)


def reconstruct(vae, X, batch_size: int = 512):
    """Decode the posterior mean: X (n, h, w, c) -> (n, h, w, c_out) float32."""
    return decode(vae, encode(vae, X, batch_size)[0], batch_size)


def sample_prior(vae, num: int, seed: int = 0):
    """Decode num draws z ~ N(0, I): -> (num, h, w, c) float32."""
    num = check_positive_int(num, "num")
    Z = np.random.default_rng(seed).standard_normal((num, vae.latent_dim)).astype(np.float32)
    return decode(vae, Z)


def evaluate_reconstruction(vae, X_in, X_target, batch_size: int = 512):
    """Mean per-pixel MSE and mean PSNR of ``reconstruct(vae, X_in)`` against X_target: (mse, psnr)."""
    X_hat = reconstruct(vae, X_in, batch_size)
    return float(np.mean(mse_per_image(X_target, X_hat))), mean_psnr(X_target, X_hat)


# --------------------------------------------------------------------------------------------------
# Shipped weights (made by scripts/train_vae.py)
# --------------------------------------------------------------------------------------------------

PRETRAINED = ("vae_patches_recon", "vae_patches_denoise", "vae_patches_colour")


def load_pretrained(name: str, directory=None):
    """Rebuild a shipped VAE from ``<name>.json`` (its settings) and ``<name>.weights.h5``.

    name: one of ``PRETRAINED``. -> (vae, info): the VAE (not compiled) and the JSON dict, which also
    records how it was trained (epochs, final losses, seconds).
    """
    import json

    if name not in PRETRAINED:
        raise ValueError(f"name must be one of {PRETRAINED}, got {name!r}")
    if directory is None:
        from .models import weights_dir  # the one place that knows where weights live

        directory = weights_dir()
    from pathlib import Path

    config_path, weights_path = Path(directory) / f"{name}.json", Path(directory) / f"{name}.weights.h5"
    if not config_path.is_file() or not weights_path.is_file():
        raise FileNotFoundError(f"{weights_path} (and its .json) not found: run "
                                "`python scripts/train_vae.py` from the project root to make them")
    info = json.loads(config_path.read_text())
    vae = build_conv_vae(tuple(info["input_shape"]), info["output_channels"], info["latent_dim"],
                         tuple(info["widths"]), info["alpha"], name=name)
    vae.load_weights(weights_path)
    return vae, info
