"""Generative adversarial networks (chapter 7): the losses, the source's DCGAN, a cheaper DCGAN, the
training step, sampling, and a one-dimensional GAN small enough to differentiate by hand.

Conventions: the discriminator returns **logits** l (any real number), D(x) = sigmoid(l) is its
probability that x is real. Images are (n, 28, 28, 1) float32 in [-1, 1] (the generators end in tanh);
:func:`to_gan_range` and :func:`to_unit_range` convert from and to the [0, 1] of the other chapters.

The losses, written with softplus(t) = log(1 + e^t) so that no sigmoid is ever rounded to 0 or 1::

    discriminator:              L_D = mean softplus(-l_real) + mean softplus(l_fake)
    generator (non-saturating): L_G = mean softplus(-l_fake)            = -mean log D(G(z))
    generator (minimax):        L_G = -mean softplus(l_fake)            =  mean log(1 - D(G(z)))

These are binary cross-entropies from logits with labels 1 for real and 0 for fake (the discriminator)
or 1 for fake (the non-saturating generator), which is how the source wrote them with Keras.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Callable

import numpy as np

from .validation import as_float_array, check_choice, check_finite_number, check_positive_int

NOISE_DIM = 100
SOURCE_BATCH_SIZE = 256
SOURCE_LEARNING_RATE = 1e-4
IMAGE_SHAPE = (28, 28, 1)
NUM_CLASSES = 10
NUM_CLUSTERS = 50       # k-means clusters of the training digits for the "clustered" GAN


# ----------------------------------------------------------------------------------------------------
# the losses (NumPy, float64): the maths the chapter derives; the training step uses Keras' own BCE
def softplus(t) -> np.ndarray:
    """log(1 + e^t), elementwise, without overflow for large |t|."""
    return np.logaddexp(0.0, np.asarray(t, dtype=np.float64))


def _logits(value, name: str) -> np.ndarray:
    logits = as_float_array(value, name, ndim=(1, 2))
    if logits.ndim == 2 and logits.shape[1] != 1:
        raise ValueError(f"{name} must have shape (n,) or (n, 1), got {logits.shape}")
    if logits.size == 0:
        raise ValueError(f"{name} must hold at least one logit")
    return logits.reshape(-1)


def discriminator_loss(real_logits, fake_logits) -> float:
    """L_D = mean softplus(-l_real) + mean softplus(l_fake). Logits (n,) or (n, 1); the two batches
    may differ in size. Equals BCE(1, real) + BCE(0, fake) from logits."""
    real, fake = _logits(real_logits, "real_logits"), _logits(fake_logits, "fake_logits")
    return float(softplus(-real).mean() + softplus(fake).mean())


def generator_loss(fake_logits) -> float:
    """The non-saturating generator loss L_G = mean softplus(-l_fake) = -mean log D(G(z)).
    Logits (n,) or (n, 1). Its gradient stays large while the discriminator wins (l_fake << 0)."""
    return float(softplus(-_logits(fake_logits, "fake_logits")).mean())


def minimax_generator_loss(fake_logits) -> float:
    """The generator's side of the minimax game, mean log(1 - D(G(z))) = -mean softplus(l_fake).
    Its gradient vanishes exactly when the generator is losing badly: it saturates."""
    return float(-softplus(_logits(fake_logits, "fake_logits")).mean())


def optimal_discriminator(p_data, p_model) -> np.ndarray:
    """D*(x) = p_data(x) / (p_data(x) + p_model(x)) for densities evaluated at the same points (any
    shape, non-negative, not both zero)."""
    p_data = as_float_array(p_data, "p_data")
    p_model = as_float_array(p_model, "p_model")
    if p_data.shape != p_model.shape:
        raise ValueError(f"p_data and p_model must have the same shape, got {p_data.shape} and {p_model.shape}")
    if (p_data < 0).any() or (p_model < 0).any():
        raise ValueError("densities must be non-negative")
    total = p_data + p_model
    if (total == 0).any():
        raise ValueError("p_data + p_model must be positive at every point")
    return p_data / total


# ----------------------------------------------------------------------------------------------------
# a GAN in one dimension: generator x = a z + b, discriminator logit l = w x + c
def linear_gan_gradients(params, real, z) -> np.ndarray:
    """Gradients of the 1-D GAN with generator G(z) = a·z + b and discriminator logit l(x) = w·x + c.

    params: (a, b, w, c); real: (n,) data samples; z: (m,) noise samples. Returns (4,) float64:
    (dL_G/da, dL_G/db, dL_D/dw, dL_D/dc), with L_D the discriminator loss and L_G the non-saturating
    generator loss above. With s = sigmoid::

        dL_D/dw = mean(-s(-l_real)·x_real) + mean(s(l_fake)·x_fake)
        dL_D/dc = mean(-s(-l_real))        + mean(s(l_fake))
        dL_G/da = mean(-s(-l_fake)·w·z),   dL_G/db = mean(-s(-l_fake)·w)
    """
    a, b, w, c = _linear_params(params)
    real = as_float_array(real, "real", ndim=1)
    z = as_float_array(z, "z", ndim=1)
    if real.size == 0 or z.size == 0:
        raise ValueError("real and z must hold at least one sample each")
    fake = a * z + b
    l_real, l_fake = w * real + c, w * fake + c
    s_real = 1.0 / (1.0 + np.exp(np.clip(l_real, -500, 500)))        # s(-l_real)
    s_fake = 1.0 / (1.0 + np.exp(-np.clip(l_fake, -500, 500)))       # s(l_fake)
    dw = np.mean(-s_real * real) + np.mean(s_fake * fake)
    dc = np.mean(-s_real) + np.mean(s_fake)
    dG_dfake = -(1.0 - s_fake) * w                                  # -s(-l_fake)·w
    return np.array([np.mean(dG_dfake * z), np.mean(dG_dfake), dw, dc])


def linear_gan_step(params, real, z, learning_rate: float = 0.1) -> np.ndarray:
    """One simultaneous gradient-descent step of the 1-D GAN: both players use the gradients at the
    current parameters (as the two-tape training step does). (a, b, w, c) -> new (4,) float64."""
    lr = check_finite_number(learning_rate, "learning_rate", positive=True)
    return _linear_params(params) - lr * linear_gan_gradients(params, real, z)


def _linear_params(params) -> np.ndarray:
    params = as_float_array(params, "params", ndim=1)
    if params.shape != (4,):
        raise ValueError(f"params must be (a, b, w, c), shape (4,), got {params.shape}")
    return params


def linear_gan_trajectory(params, real_mean: float = 2.0, real_std: float = 0.5, steps: int = 200,
                          batch_size: int = 256, learning_rate: float = 0.1, seed: int = 0) -> np.ndarray:
    """Train the 1-D GAN on N(real_mean, real_std²) data from ``params``; returns (steps + 1, 4) params
    after each step (row 0 is the start). Shows the rotation of simultaneous gradient play."""
    steps, batch_size = check_positive_int(steps, "steps"), check_positive_int(batch_size, "batch_size")
    rng = np.random.default_rng(seed)
    history = [_linear_params(params).copy()]
    for _ in range(steps):
        real = rng.normal(real_mean, real_std, batch_size)
        history.append(linear_gan_step(history[-1], real, rng.standard_normal(batch_size), learning_rate))
    return np.stack(history)


# ----------------------------------------------------------------------------------------------------
# the networks
def build_source_generator(noise_dim: int = NOISE_DIM):
    """The source's DCGAN generator (the TensorFlow tutorial's): Dense(7·7·256) → BN → LeakyReLU →
    reshape (7, 7, 256) → ConvT(128, 5, stride 1) → BN → LeakyReLU → ConvT(64, 5, stride 2) → BN →
    LeakyReLU → ConvT(1, 5, stride 2, tanh), no biases. (n, noise_dim) -> (n, 28, 28, 1) in [-1, 1]."""
    import keras
    from keras import layers

    noise_dim = check_positive_int(noise_dim, "noise_dim")
    return keras.Sequential([
        keras.Input((noise_dim,)),
        layers.Dense(7 * 7 * 256, use_bias=False), layers.BatchNormalization(), layers.LeakyReLU(0.3),
        layers.Reshape((7, 7, 256)),
        layers.Conv2DTranspose(128, 5, strides=1, padding="same", use_bias=False),
        layers.BatchNormalization(), layers.LeakyReLU(0.3),
        layers.Conv2DTranspose(64, 5, strides=2, padding="same", use_bias=False),
        layers.BatchNormalization(), layers.LeakyReLU(0.3),
        layers.Conv2DTranspose(1, 5, strides=2, padding="same", use_bias=False, activation="tanh"),
    ], name="source_generator")


def build_source_discriminator():
    """The source's discriminator: Conv(64, 5, stride 2) → LeakyReLU → Dropout(0.3) → Conv(128, 5,
    stride 2) → LeakyReLU → Dropout(0.3) → Flatten → Dense(1). (n, 28, 28, 1) -> (n, 1) logits."""
    import keras
    from keras import layers

    return keras.Sequential([
        keras.Input(IMAGE_SHAPE),
        layers.Conv2D(64, 5, strides=2, padding="same"), layers.LeakyReLU(0.3), layers.Dropout(0.3),
        layers.Conv2D(128, 5, strides=2, padding="same"), layers.LeakyReLU(0.3), layers.Dropout(0.3),
        layers.Flatten(), layers.Dense(1),
    ], name="source_discriminator")


def _small_generator_layers(width: int) -> list:
    """The layers of our small generator after its input: Dense(7·7·2w) → BN → ReLU → reshape →
    ConvT(w, 4, stride 2) → BN → ReLU → ConvT(1, 4, stride 2, tanh)."""
    from keras import layers

    width = check_positive_int(width, "width")
    return [layers.Dense(7 * 7 * 2 * width, use_bias=False), layers.BatchNormalization(), layers.ReLU(),
            layers.Reshape((7, 7, 2 * width)),
            layers.Conv2DTranspose(width, 4, strides=2, padding="same", use_bias=False),
            layers.BatchNormalization(), layers.ReLU(),
            layers.Conv2DTranspose(1, 4, strides=2, padding="same", activation="tanh")]


def _small_discriminator_feature_layers(width: int) -> list:
    """The layers of our small discriminator before its logit: Conv(w/2, 4, stride 2) → LeakyReLU(0.2)
    → Conv(w, 4, stride 2) → LeakyReLU(0.2) → Flatten, giving 7·7·w features φ(x)."""
    from keras import layers

    width = check_positive_int(width, "width")
    return [layers.Conv2D(max(1, width // 2), 4, strides=2, padding="same"), layers.LeakyReLU(0.2),
            layers.Conv2D(width, 4, strides=2, padding="same"), layers.LeakyReLU(0.2), layers.Flatten()]


def build_small_generator(noise_dim: int = NOISE_DIM, width: int = 64):
    """Our cheaper generator: Dense(7·7·2w) → BN → ReLU → reshape → ConvT(w, 4, stride 2) → BN → ReLU
    → ConvT(1, 4, stride 2, tanh). Kernels of 4 with stride 2 tile the output evenly (no checkerboard
    from uneven overlap). (n, noise_dim) -> (n, 28, 28, 1) in [-1, 1]."""
    import keras

    noise_dim = check_positive_int(noise_dim, "noise_dim")
    return keras.Sequential([keras.Input((noise_dim,)), *_small_generator_layers(width)], name="small_generator")


def build_small_discriminator(width: int = 64):
    """Our cheaper discriminator: Conv(w/2, 4, stride 2) → LeakyReLU(0.2) → Conv(w, 4, stride 2) →
    LeakyReLU(0.2) → Flatten → Dense(1). (n, 28, 28, 1) -> (n, 1) logits."""
    import keras
    from keras import layers

    return keras.Sequential([keras.Input(IMAGE_SHAPE), *_small_discriminator_feature_layers(width),
                             layers.Dense(1)], name="small_discriminator")


def build_conditional_generator(noise_dim: int = NOISE_DIM, width: int = 64, num_classes: int = NUM_CLASSES):
    """Our small generator told which digit to draw (a conditional GAN, Mirza & Osindero 2014): the
    label's one-hot code is appended to z, then the layers of :func:`build_small_generator`.
    Inputs [z (n, noise_dim) float32, labels (n,) int32 in [0, num_classes)] -> (n, 28, 28, 1) in [-1, 1]."""
    import keras
    from keras import layers

    noise_dim, num_classes = check_positive_int(noise_dim, "noise_dim"), check_positive_int(num_classes, "num_classes")
    z, labels = keras.Input((noise_dim,), name="z"), keras.Input((), dtype="int32", name="labels")
    h = layers.Concatenate()([z, layers.CategoryEncoding(num_classes, output_mode="one_hot")(labels)])
    for layer in _small_generator_layers(width):
        h = layer(h)
    return keras.Model([z, labels], h, name="conditional_generator")


def build_conditional_discriminator(width: int = 64, num_classes: int = NUM_CLASSES):
    """A projection discriminator (Miyato & Koyama 2018) on the features φ(x) of
    :func:`build_small_discriminator`: the logit of image x with label y is

        l(x, y) = w·φ(x) + b + e_y·φ(x),

    with e_y a learned embedding (one vector per class, as long as φ). The last term asks "is this a
    good example of digit y?", so a generator that draws a 3 when told 7 is caught.
    Inputs [images (n, 28, 28, 1), labels (n,) int32] -> (n, 1) logits."""
    import keras
    from keras import layers

    width, num_classes = check_positive_int(width, "width"), check_positive_int(num_classes, "num_classes")
    images, labels = keras.Input(IMAGE_SHAPE, name="images"), keras.Input((), dtype="int32", name="labels")
    features = images
    for layer in _small_discriminator_feature_layers(width):
        features = layer(features)
    embedding = layers.Embedding(num_classes, features.shape[-1], name="class_embedding")(labels)
    projection = layers.Dot(axes=1)([features, embedding])
    logits = layers.Add()([layers.Dense(1, name="logit")(features), projection])
    return keras.Model([images, labels], logits, name="conditional_discriminator")


# ----------------------------------------------------------------------------------------------------
# the two architectures the chapter compares, with their optimiser settings
@dataclass(frozen=True)
class GanRecipe:
    """How one architecture is built and trained."""

    build_generator: Callable
    build_discriminator: Callable
    batch_size: int
    learning_rate: float              # Adam's, for both players
    beta_1: float                     # Adam's
    average_decay: float | None       # moving average of the generator's weights; None: no average
    condition: str | None = None      # what both networks are told about each image: None, "digit" (its
                                      # MNIST label) or "cluster" (its k-means cluster: no labels used)
    num_classes: int = NUM_CLASSES    # how many digits or clusters

    @property
    def conditional(self) -> bool:
        return self.condition is not None


ARCHITECTURES = {
    "source": GanRecipe(build_source_generator, build_source_discriminator, SOURCE_BATCH_SIZE,
                        SOURCE_LEARNING_RATE, beta_1=0.9, average_decay=None),
    "small": GanRecipe(build_small_generator, build_small_discriminator, 128, 2e-4, beta_1=0.5,
                       average_decay=0.999),
    "conditional": GanRecipe(build_conditional_generator, build_conditional_discriminator, 128, 2e-4,
                             beta_1=0.5, average_decay=0.999, condition="digit"),
    "clustered": GanRecipe(partial(build_conditional_generator, num_classes=NUM_CLUSTERS),
                           partial(build_conditional_discriminator, num_classes=NUM_CLUSTERS), 128, 2e-4,
                           beta_1=0.5, average_decay=0.999, condition="cluster", num_classes=NUM_CLUSTERS),
}


def get_recipe(architecture: str) -> GanRecipe:
    """The :class:`GanRecipe` of ``"source"``, ``"small"``, ``"conditional"`` or ``"clustered"``."""
    return ARCHITECTURES[check_choice(architecture, "architecture", ARCHITECTURES)]


def build_gan(architecture: str, noise_dim: int = NOISE_DIM):
    """(generator, discriminator, generator optimiser, discriminator optimiser, batch size) for
    ``"source"`` (Adam(1e-4), batch 256, as the source), ``"small"``, ``"conditional"`` or
    ``"clustered"`` (Adam(2e-4, beta_1 = 0.5), batch 128, the DCGAN paper's settings)."""
    import keras

    recipe = get_recipe(architecture)
    return (recipe.build_generator(noise_dim), recipe.build_discriminator(),
            keras.optimizers.Adam(recipe.learning_rate, beta_1=recipe.beta_1),
            keras.optimizers.Adam(recipe.learning_rate, beta_1=recipe.beta_1), recipe.batch_size)


# ----------------------------------------------------------------------------------------------------
# training and sampling
def make_train_step(generator, discriminator, generator_optimizer, discriminator_optimizer,
                    noise_dim: int = NOISE_DIM):
    """The source's training step as a ``tf.function``: real images (n, 28, 28, 1) in [-1, 1] ->
    (discriminator loss, generator loss) tensors, after one Adam step of each network.

    One forward pass of each network under two ``GradientTape``s; each tape differentiates its own
    player's loss with respect to its own weights only, so the two updates are simultaneous.
    A conditional GAN's step (the generator takes labels, :func:`is_conditional`) also takes the real
    images' labels (n,) int32: the fakes are drawn for the same labels, and the discriminator sees every
    image together with its label.
    """
    import keras
    import tensorflow as tf

    bce = keras.losses.BinaryCrossentropy(from_logits=True)
    noise_dim = check_positive_int(noise_dim, "noise_dim")
    conditional = is_conditional(generator)

    @tf.function
    def train_step(real_images, labels=None):
        if conditional and labels is None:
            raise ValueError("a conditional GAN's train_step needs the labels of real_images")
        with_labels = (lambda x: [x, labels]) if conditional else (lambda x: x)
        z = tf.random.normal([tf.shape(real_images)[0], noise_dim])
        with tf.GradientTape() as g_tape, tf.GradientTape() as d_tape:
            fake_images = generator(with_labels(z), training=True)
            real_logits = discriminator(with_labels(real_images), training=True)
            fake_logits = discriminator(with_labels(fake_images), training=True)
            g_loss = bce(tf.ones_like(fake_logits), fake_logits)
            d_loss = bce(tf.ones_like(real_logits), real_logits) + bce(tf.zeros_like(fake_logits), fake_logits)
        g_grads = g_tape.gradient(g_loss, generator.trainable_variables)
        d_grads = d_tape.gradient(d_loss, discriminator.trainable_variables)
        generator_optimizer.apply_gradients(zip(g_grads, generator.trainable_variables))
        discriminator_optimizer.apply_gradients(zip(d_grads, discriminator.trainable_variables))
        return d_loss, g_loss

    return train_step


def make_average_update(average_model, model, counter, decay: float = 0.999):
    """A ``tf.function`` that moves every weight of ``average_model`` towards ``model``'s:
    w_avg <- d w_avg + (1 - d) w with d = min(decay, (1 + t) / (10 + t)) at update t (a short warm-up,
    so the average does not remember the random start for long). Returns the decay used.

    counter: a scalar float ``tf.Variable`` holding t (start it at 0); each update adds one. It is the
    caller's, so that a checkpoint can save it with the weights and a resumed run continues the warm-up.

    Averaging the generator's weights over the last ~1/(1 - decay) steps smooths out the rotation of the
    two-player game (see the one-dimensional GAN): the average sits nearer the centre of the orbit than
    any single iterate. It costs one multiply-add per weight per step.
    """
    import tensorflow as tf

    decay = check_finite_number(decay, "decay", positive=True)
    if decay >= 1:
        raise ValueError(f"decay must be in (0, 1), got {decay!r}")
    if len(average_model.weights) != len(model.weights):
        raise ValueError("average_model and model must have the same architecture")
    if not isinstance(counter, tf.Variable) or counter.shape != () or counter.dtype != tf.float32:
        raise TypeError(f"counter must be a scalar float32 tf.Variable, got {counter!r}")

    @tf.function
    def update():
        d = tf.minimum(decay, (1.0 + counter) / (10.0 + counter))
        for average, current in zip(average_model.weights, model.weights):
            average.assign(d * average + (1.0 - d) * current)
        counter.assign_add(1.0)
        return d

    return update


def to_gan_range(images) -> np.ndarray:
    """Images (n, 28, 28[, 1]), uint8 in [0, 255] or float in [0, 1] -> (n, 28, 28, 1) float32 in [-1, 1]."""
    images = np.asarray(images)
    if images.ndim == 3:
        images = images[..., None]
    if images.ndim != 4 or images.shape[1:] != IMAGE_SHAPE:
        raise ValueError(f"images must have shape (n, 28, 28) or (n, 28, 28, 1), got {images.shape}")
    scale = 255.0 if images.dtype == np.uint8 else 1.0
    return (images.astype(np.float32) / scale) * 2.0 - 1.0


def to_unit_range(images) -> np.ndarray:
    """Generator output in [-1, 1], (n, 28, 28, 1) -> (n, 28, 28) float32 in [0, 1]."""
    images = np.asarray(images, dtype=np.float32)
    if images.ndim == 4 and images.shape[-1] == 1:
        images = images[..., 0]
    return np.clip((images + 1.0) / 2.0, 0.0, 1.0)


def latent_vectors(n: int, seed: int = 0, noise_dim: int = NOISE_DIM) -> np.ndarray:
    """n standard-normal latent vectors, (n, noise_dim) float32, the same for the same seed."""
    rng = np.random.default_rng(seed)
    return rng.standard_normal((check_positive_int(n, "n"), check_positive_int(noise_dim, "noise_dim")),
                               dtype=np.float32)


def balanced_labels(n: int, num_classes: int = NUM_CLASSES) -> np.ndarray:
    """The labels 0, 1, ..., num_classes - 1, 0, 1, ... (n,) int32: what a conditional generator is
    asked to draw when it is sampled, every digit equally often."""
    return (np.arange(check_positive_int(n, "n")) % check_positive_int(num_classes, "num_classes")).astype(np.int32)


def is_conditional(generator) -> bool:
    """Whether a generator takes labels as a second input (see :func:`build_conditional_generator`)."""
    return len(generator.inputs) == 2


def noise_dimension(generator) -> int:
    """The length of the latent vectors z the generator takes."""
    return int(generator.inputs[0].shape[-1])


def num_classes(generator) -> int:
    """How many labels (digits or clusters) a conditional generator knows."""
    if not is_conditional(generator):
        raise ValueError("the generator is not conditional")
    return next(layer.num_tokens for layer in generator.layers if type(layer).__name__ == "CategoryEncoding")


def _labels_for(generator, labels, n: int):
    if not is_conditional(generator):
        if labels is not None:
            raise ValueError("labels were given, but the generator is not conditional")
        return None
    k = num_classes(generator)
    if labels is None:
        raise ValueError(f"a conditional generator needs labels, (n,) integers in [0, {k})")
    labels = np.asarray(labels)
    if labels.shape != (n,) or not np.issubdtype(labels.dtype, np.integer) or labels.min() < 0 \
            or labels.max() >= k:
        raise ValueError(f"labels must be ({n},) integers in [0, {k}), got shape {labels.shape}, "
                         f"dtype {labels.dtype}")
    return labels.astype(np.int32)


def generate(generator, z, labels=None, batch_size: int = 500) -> np.ndarray:
    """Latent vectors (n, noise_dim) [and, for a conditional generator, labels (n,) int] -> images
    (n, 28, 28) float32 in [0, 1] (inference mode)."""
    noise_dim = noise_dimension(generator)
    z = np.asarray(z, dtype=np.float32)
    if z.ndim != 2 or z.shape[1] != noise_dim:
        raise ValueError(f"z must have shape (n, {noise_dim}), got {z.shape}")
    labels = _labels_for(generator, labels, len(z))
    step = check_positive_int(batch_size, "batch_size")
    batches = [np.asarray(generator(z[i:i + step] if labels is None else [z[i:i + step], labels[i:i + step]],
                                    training=False))
               for i in range(0, len(z), step)]
    return to_unit_range(np.concatenate(batches))


def sample_inputs(generator, n: int, seed: int = 0, class_frequencies=None) -> tuple[np.ndarray, np.ndarray | None]:
    """What :func:`sample_images` feeds the generator: :func:`latent_vectors` (n, seed) and, for a
    conditional generator, labels (else None): :func:`balanced_labels` (n), or, given
    ``class_frequencies`` (k,) (e.g. the share of the training images in each cluster), n labels drawn
    from them, seeded by ``seed`` too."""
    z = latent_vectors(n, seed, noise_dimension(generator))
    if not is_conditional(generator):
        if class_frequencies is not None:
            raise ValueError("class_frequencies were given, but the generator is not conditional")
        return z, None
    k = num_classes(generator)
    if class_frequencies is None:
        return z, balanced_labels(n, k)
    p = as_float_array(class_frequencies, "class_frequencies", ndim=1)
    if p.shape != (k,) or (p < 0).any() or not np.isclose(p.sum(), 1.0):
        raise ValueError(f"class_frequencies must be ({k},) non-negative numbers that sum to 1, got shape {p.shape}")
    labels = np.random.default_rng([seed, 1]).choice(k, size=n, p=p / p.sum())
    return z, labels.astype(np.int32)


def sample_images(generator, n: int, seed: int = 0, class_frequencies=None) -> np.ndarray:
    """n generated images (n, 28, 28) in [0, 1] from :func:`sample_inputs` (n, seed, class_frequencies)."""
    return generate(generator, *sample_inputs(generator, n, seed, class_frequencies))


def interpolate_latents(z0, z1, steps: int = 8) -> np.ndarray:
    """Straight-line path from z0 to z1, both (d,): returns (steps, d) float32 including both ends."""
    z0, z1 = as_float_array(z0, "z0", ndim=1), as_float_array(z1, "z1", ndim=1)
    if z0.shape != z1.shape:
        raise ValueError(f"z0 and z1 must have the same shape, got {z0.shape} and {z1.shape}")
    t = np.linspace(0.0, 1.0, check_positive_int(steps, "steps"))[:, None]
    return ((1 - t) * z0 + t * z1).astype(np.float32)


def count_parameters(model) -> int:
    """Number of weights of a Keras model (trainable and not)."""
    return int(sum(np.prod(w.shape) for w in model.weights))


def multiply_adds_per_image(model) -> int:
    """Multiply-adds of one forward pass of a model made of Dense / Conv2D / Conv2DTranspose layers (the
    other layers are elementwise and cheap): a cost measure that does not depend on the machine."""
    total = 0
    for layer in model.layers:
        kind = type(layer).__name__
        if kind == "Dense":
            total += int(np.prod(layer.kernel.shape))
        elif kind in ("Conv2D", "Conv2DTranspose"):
            kh, kw, c_a, c_b = layer.kernel.shape                 # Conv2DTranspose: (kh, kw, out, in)
            out_h, out_w = layer.output.shape[1:3]
            in_h, in_w = layer.input.shape[1:3]
            positions = out_h * out_w if kind == "Conv2D" else in_h * in_w
            total += int(kh * kw * c_a * c_b * positions)
    return total
