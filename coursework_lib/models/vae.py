"""Variational autoencoders in Keras: the sampling layer, the VAE model, its builders and its use.

An encoder maps an image ``X`` to ``[mu, log_var]``, a :class:`Sampling` layer draws
``z = mu + exp(log_var / 2) * eps``, and a decoder maps ``z`` back to an image; :class:`VAE` trains on
``alpha * MSE + KL`` (the Gaussian-likelihood form) or on the source report's ``alpha * RMSE + KL``.
:class:`ChromaVAE` is the colouriser that predicts only the colour (chroma) of a grey image and keeps
the input's luminance. The maths (the closed-form KL, the reparameterisation and its gradients, the
loss in NumPy) is in :mod:`coursework_lib.maths.vae_theory`; the two formulas below in ``keras.ops``
are the same ones on tensors, so that TensorFlow can differentiate them.
"""

from __future__ import annotations

from pathlib import Path

import keras
import numpy as np
from keras import layers, ops

from coursework_lib.core.artifacts import ArtifactMissing, read_json_artifact
from coursework_lib.core.patches import LUMA_WEIGHTS
from coursework_lib.core.paths import weights_dir
from coursework_lib.core.validation import as_float_array, check_finite_number, check_positive_int

# --------------------------------------------------------------------------------------------------
# The loss terms on tensors, the sampling layer, the VAE model
# --------------------------------------------------------------------------------------------------


def kl_divergence_keras(mu, log_var):
    """``maths.vae_theory.kl_divergence`` on tensors (differentiable): (batch, latent_dim) -> (batch,)."""
    return 0.5 * ops.sum(ops.square(mu) + ops.exp(log_var) - 1.0 - log_var, axis=-1)


def mse_per_image_keras(X, X_hat):
    """``evaluation.image_quality.mse_per_image`` on tensors: (batch, h, w, c) -> (batch,)."""
    return ops.mean(ops.square(X - X_hat), axis=(1, 2, 3))


RECONSTRUCTION_LOSSES = ("mse", "rmse")


def chroma_basis() -> np.ndarray:
    """Two orthonormal RGB directions orthogonal to the BT.709 luminance weights: (2, 3) float32.

    Adding ``a * basis[0] + b * basis[1]`` to a pixel changes its colour but not its luminance
    ``LUMA_WEIGHTS @ rgb``; a grey pixel (r = g = b = Y) plus such a chroma keeps luminance Y because
    the weights sum to 1.
    """
    luma = np.asarray(LUMA_WEIGHTS, dtype=np.float64)
    u = np.array([1.0, 0.0, 0.0]) - luma * luma[0] / (luma @ luma)  # red, minus its luminance direction
    u /= np.linalg.norm(u)
    v = np.cross(luma / np.linalg.norm(luma), u)
    return np.stack([u, v]).astype(np.float32)


def add_chroma_keras(G, C):
    """Grey (batch, h, w, 1) plus chroma coordinates (batch, h, w, 2) -> RGB (batch, h, w, 3) in [0, 1].

    rgb = clip(G + C @ chroma_basis(), 0, 1): the luminance of the result is G wherever nothing clips.
    """
    return ops.clip(G + ops.matmul(C, ops.convert_to_tensor(chroma_basis())), 0.0, 1.0)


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
    alpha:   weight of the reconstruction term in ``alpha * reconstruction + KL``.
    reconstruction: ``"mse"`` (each image's per-pixel mean squared error, the Gaussian-likelihood
             form) or ``"rmse"`` (its square root, the source report's loss), averaged over the batch.

    ``fit`` takes either images ``X`` (reconstruct X) or pairs ``(X_in, X_target)`` (denoising:
    noisy in, clean target; colourisation: grey in, colour target). Metrics: ``loss``,
    ``reconstruction_mse`` (per pixel) and ``kl`` (per image, nats). ``vae(X)`` decodes the posterior
    mean (deterministic); training decodes a sample z. ``reconstruction_mse`` is tracked whichever
    reconstruction term is trained, so the two losses can be compared on one scale.
    """

    def __init__(self, encoder, decoder, alpha: float = 1000.0, seed=None, reconstruction: str = "mse", **kwargs):
        super().__init__(**kwargs)
        self.encoder = encoder
        self.decoder = decoder
        self.alpha = check_finite_number(alpha, "alpha", positive=True)
        self.seed = seed
        if reconstruction not in RECONSTRUCTION_LOSSES:
            raise ValueError(f"reconstruction must be one of {RECONSTRUCTION_LOSSES}, got {reconstruction!r}")
        self.reconstruction = reconstruction
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

    def assemble(self, X_in, decoded):
        """The image the model outputs, from its input and the decoder's output: here the decoder's output."""
        return decoded

    def call(self, inputs, training=False):
        mu, log_var = self.encoder(inputs, training=training)
        z = self.sampling([mu, log_var]) if training else mu
        return self.assemble(inputs, self.decoder(z, training=training))

    def compute_losses(self, X_in, X_target, training):
        """Forward pass with a sampled z: -> (loss, mean per-pixel MSE, mean KL), scalar tensors."""
        mu, log_var = self.encoder(X_in, training=training)
        z = self.sampling([mu, log_var])
        X_hat = self.assemble(X_in, self.decoder(z, training=training))
        mse = mse_per_image_keras(X_target, X_hat)
        # RMSE: the root of each image's MSE; the tiny constant keeps its gradient finite at MSE = 0
        term = mse if self.reconstruction == "mse" else ops.sqrt(mse + 1e-12)
        kl = ops.mean(kl_divergence_keras(mu, log_var))
        return self.alpha * ops.mean(term) + kl, ops.mean(mse), kl

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
        return {
            **super().get_config(),
            "encoder": keras.saving.serialize_keras_object(self.encoder),
            "decoder": keras.saving.serialize_keras_object(self.decoder),
            "alpha": self.alpha,
            "seed": self.seed,
            "reconstruction": self.reconstruction,
        }

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        config["encoder"] = keras.saving.deserialize_keras_object(config["encoder"])
        config["decoder"] = keras.saving.deserialize_keras_object(config["decoder"])
        return cls(**config)


@keras.saving.register_keras_serializable(package="coursework_lib")
class ChromaVAE(VAE):
    """A colourising VAE that keeps the input's luminance: grey in, colour out.

    The encoder reads the grey image G (batch, h, w, 1); the decoder outputs two chroma coordinates
    per pixel (batch, h, w, 2); the model outputs ``add_chroma_keras(G, chroma)``, (batch, h, w, 3):
    only the colour is predicted, and the sharp input luminance is kept instead of a blurred copy.
    """

    def assemble(self, X_in, decoded):
        return add_chroma_keras(X_in, decoded)


# --------------------------------------------------------------------------------------------------
# Builders
# --------------------------------------------------------------------------------------------------

SOURCE_WIDTHS = (32, 64, 64, 64)  # the source's encoder convolutions
SOURCE_LATENT_DIM = 1024
SCALED_WIDTHS = (16, 32, 32, 32)  # ours: half the widths ...
SCALED_LATENT_DIM = 32  # ... and a 32-dimensional latent space (see the chapter)
STRIDES = (1, 2, 2, 1)


def _check_widths(widths, name):
    widths = tuple(widths)
    if len(widths) != 4:
        raise ValueError(f"{name} must have 4 entries (one per convolution), got {widths!r}")
    return tuple(check_positive_int(w, name) for w in widths)


def build_conv_encoder(
    input_shape=(32, 32, 3), latent_dim: int = SCALED_LATENT_DIM, widths=SCALED_WIDTHS, name: str = "encoder"
):
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


def build_conv_decoder(
    latent_dim: int = SCALED_LATENT_DIM,
    output_shape=(32, 32, 3),
    widths=SCALED_WIDTHS[1:],
    name: str = "decoder",
    output_activation: str = "sigmoid",
):
    """The source's decoder: Dense(h/4 * w/4 * widths[0]) -> reshape -> ConvT(widths[0], s1) ->
    ConvT(widths[1], s2) -> ConvT(widths[2], s2) (each ReLU -> BatchNorm) -> ConvT(c, s1) -> sigmoid.

    z (batch, latent_dim) float32 -> X_hat (batch, h, w, c) float32 in (0, 1). ``output_activation``
    "linear" drops the sigmoid (the chroma decoder of :class:`ChromaVAE`, whose outputs are signed).
    """
    if output_activation not in ("sigmoid", "linear"):
        raise ValueError(f"output_activation must be 'sigmoid' or 'linear', got {output_activation!r}")
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
    X_hat = layers.Activation(output_activation, name=output_activation)(A)
    return keras.Model(z, X_hat, name=name)


def build_conv_vae(
    input_shape=(32, 32, 3),
    output_channels: int = 3,
    latent_dim: int = SCALED_LATENT_DIM,
    widths=SCALED_WIDTHS,
    alpha: float = 1000.0,
    seed=None,
    name: str = "conv_vae",
    reconstruction: str = "mse",
    keep_luminance: bool = False,
):
    """Encoder + decoder of the source's convolutional VAE, wrapped in :class:`VAE` (not compiled).

    input_shape: (h, w, c_in); the decoder outputs (h, w, output_channels) (1 -> 3 for colourisation).
    The source's sizes are ``widths=SOURCE_WIDTHS, latent_dim=SOURCE_LATENT_DIM``; ``reconstruction``
    "rmse" is the source's loss, "mse" the Gaussian-likelihood form. ``keep_luminance=True`` builds the
    colouriser :class:`ChromaVAE` (input_shape (h, w, 1), output_channels 3): its decoder outputs two
    chroma coordinates without a sigmoid, added to the grey input.
    """
    widths = _check_widths(widths, "widths")
    output_channels = check_positive_int(output_channels, "output_channels")
    encoder = build_conv_encoder(input_shape, latent_dim, widths)
    if keep_luminance:
        if tuple(input_shape)[-1] != 1 or output_channels != 3:
            raise ValueError(
                "keep_luminance needs a grey input and a colour output: input_shape (h, w, 1), "
                f"output_channels 3; got {tuple(input_shape)} and {output_channels}"
            )
        decoder = build_conv_decoder(latent_dim, (*tuple(input_shape)[:2], 2), widths[1:], output_activation="linear")
        return ChromaVAE(encoder, decoder, alpha=alpha, seed=seed, reconstruction=reconstruction, name=name)
    decoder = build_conv_decoder(latent_dim, (*tuple(input_shape)[:2], output_channels), widths[1:])
    return VAE(encoder, decoder, alpha=alpha, seed=seed, reconstruction=reconstruction, name=name)


def build_dense_vae(
    input_shape=(28, 28, 1),
    latent_dim: int = 2,
    hidden: int = 256,
    alpha: float = 1000.0,
    seed=None,
    name: str = "dense_vae",
    reconstruction: str = "mse",
):
    """A small fully connected VAE for MNIST: Flatten -> Dense(hidden, ReLU) -> mu, log_var;
    z -> Dense(hidden, ReLU) -> Dense(h*w*c, sigmoid) -> reshape. Not compiled.
    """
    latent_dim = check_positive_int(latent_dim, "latent_dim")
    hidden = check_positive_int(hidden, "hidden")
    X = keras.Input(shape=tuple(input_shape), name="image")
    A = layers.Dense(hidden, activation="relu", name="hidden")(layers.Flatten(name="flatten")(X))
    encoder = keras.Model(
        X, [layers.Dense(latent_dim, name="mu")(A), layers.Dense(latent_dim, name="log_var")(A)], name="encoder"
    )
    z = keras.Input(shape=(latent_dim,), name="z")
    A = layers.Dense(hidden, activation="relu", name="hidden")(z)
    A = layers.Dense(int(np.prod(input_shape)), activation="sigmoid", name="pixels")(A)
    decoder = keras.Model(z, layers.Reshape(tuple(input_shape), name="reshape")(A), name="decoder")
    return VAE(encoder, decoder, alpha=alpha, seed=seed, reconstruction=reconstruction, name=name)


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
    """Decode the posterior mean: X (n, h, w, c) -> (n, h, w, c_out) float32.

    For a :class:`ChromaVAE` the decoded chroma is added to the grey input X (its ``assemble``).
    """
    X = as_float_array(X, "X", ndim=4, dtype=np.float32)
    decoded = decode(vae, encode(vae, X, batch_size)[0], batch_size)
    return np.asarray(ops.convert_to_numpy(vae.assemble(X, decoded)), dtype=np.float32)


def sample_prior(vae, num: int, seed: int = 0):
    """Decode num draws z ~ N(0, I): -> (num, h, w, c) float32."""
    num = check_positive_int(num, "num")
    Z = np.random.default_rng(seed).standard_normal((num, vae.latent_dim)).astype(np.float32)
    return decode(vae, Z)


# --------------------------------------------------------------------------------------------------
# Shipped weights (made by `make weights-vae`, which runs scripts/train_vae.py)
# --------------------------------------------------------------------------------------------------

PRETRAINED = ("vae_patches_recon", "vae_patches_denoise", "vae_patches_colour")
MADE_BY = "make weights-vae"


def load_pretrained(name: str, directory=None):
    """Rebuild a shipped VAE from ``<name>.json`` (its settings) and ``<name>.weights.h5``.

    name: one of ``PRETRAINED``; directory: default :func:`coursework_lib.core.paths.weights_dir`.
    -> (vae, info): the VAE (not compiled) and the JSON dict, which also records how it was trained
    (epochs, final losses, seconds). Both files are made by ``make weights-vae``. A JSON without a
    ``reconstruction`` entry was trained on the MSE form.
    """
    if name not in PRETRAINED:
        raise ValueError(f"name must be one of {PRETRAINED}, got {name!r}")
    directory = Path(directory if directory is not None else weights_dir())
    info = read_json_artifact(f"{name}.json", made_by=MADE_BY, directory=directory)
    weights_path = directory / f"{name}.weights.h5"
    if not weights_path.is_file():
        raise ArtifactMissing(f"{weights_path} does not exist; run `{MADE_BY}` from the project root to make it")
    vae = build_conv_vae(
        tuple(info["input_shape"]),
        info["output_channels"],
        info["latent_dim"],
        tuple(info["widths"]),
        info["alpha"],
        name=name,
        reconstruction=info.get("reconstruction", "mse"),
        keep_luminance=bool(info.get("keep_luminance", False)),
    )
    vae.load_weights(weights_path)
    return vae, info
