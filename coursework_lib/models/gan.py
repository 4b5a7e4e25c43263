"""Generative adversarial networks in Keras (chapter 7): the source's DCGAN, a cheaper DCGAN, its
conditional and cluster-conditioned variants, the table of recipes that builds and trains each one,
and using a generator: sampling, latent walks, range conversions.

Conventions: the discriminator returns **logits** l (any real number), D(x) = sigmoid(l) is its
probability that x is real. Images are (n, 28, 28, 1) float32 in [-1, 1] (the generators end in tanh);
:func:`to_gan_range` and :func:`to_unit_range` convert from and to the [0, 1] of the other chapters.
The losses and the one-dimensional GAN are in :mod:`coursework_lib.maths.gan_theory`; the training
step and the weight average in :mod:`coursework_lib.training.gan_steps`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Callable

import numpy as np

from coursework_lib.core.validation import as_float_array, check_choice, check_positive_int
from coursework_lib.maths.latent import interpolate_latents

NOISE_DIM = 100
SOURCE_BATCH_SIZE = 256
SOURCE_LEARNING_RATE = 1e-4
IMAGE_SHAPE = (28, 28, 1)
NUM_CLASSES = 10
NUM_CLUSTERS = 50  # k-means clusters of the training digits for the "clustered" GAN


# ----------------------------------------------------------------------------------------------------
# the networks
def build_source_generator(noise_dim: int = NOISE_DIM):
    """The source's DCGAN generator (the TensorFlow tutorial's): Dense(7·7·256) → BN → LeakyReLU →
    reshape (7, 7, 256) → ConvT(128, 5, stride 1) → BN → LeakyReLU → ConvT(64, 5, stride 2) → BN →
    LeakyReLU → ConvT(1, 5, stride 2, tanh), no biases. (n, noise_dim) -> (n, 28, 28, 1) in [-1, 1]."""
    import keras
    from keras import layers

    noise_dim = check_positive_int(noise_dim, "noise_dim")
    return keras.Sequential(
        [
            keras.Input((noise_dim,)),
            layers.Dense(7 * 7 * 256, use_bias=False),
            layers.BatchNormalization(),
            layers.LeakyReLU(0.3),
            layers.Reshape((7, 7, 256)),
            layers.Conv2DTranspose(128, 5, strides=1, padding="same", use_bias=False),
            layers.BatchNormalization(),
            layers.LeakyReLU(0.3),
            layers.Conv2DTranspose(64, 5, strides=2, padding="same", use_bias=False),
            layers.BatchNormalization(),
            layers.LeakyReLU(0.3),
            layers.Conv2DTranspose(1, 5, strides=2, padding="same", use_bias=False, activation="tanh"),
        ],
        name="source_generator",
    )


def build_source_discriminator():
    """The source's discriminator: Conv(64, 5, stride 2) → LeakyReLU → Dropout(0.3) → Conv(128, 5,
    stride 2) → LeakyReLU → Dropout(0.3) → Flatten → Dense(1). (n, 28, 28, 1) -> (n, 1) logits."""
    import keras
    from keras import layers

    return keras.Sequential(
        [
            keras.Input(IMAGE_SHAPE),
            layers.Conv2D(64, 5, strides=2, padding="same"),
            layers.LeakyReLU(0.3),
            layers.Dropout(0.3),
            layers.Conv2D(128, 5, strides=2, padding="same"),
            layers.LeakyReLU(0.3),
            layers.Dropout(0.3),
            layers.Flatten(),
            layers.Dense(1),
        ],
        name="source_discriminator",
    )


def _small_generator_layers(width: int) -> list:
    """The layers of our small generator after its input: Dense(7·7·2w) → BN → ReLU → reshape →
    ConvT(w, 4, stride 2) → BN → ReLU → ConvT(1, 4, stride 2, tanh)."""
    from keras import layers

    width = check_positive_int(width, "width")
    return [
        layers.Dense(7 * 7 * 2 * width, use_bias=False),
        layers.BatchNormalization(),
        layers.ReLU(),
        layers.Reshape((7, 7, 2 * width)),
        layers.Conv2DTranspose(width, 4, strides=2, padding="same", use_bias=False),
        layers.BatchNormalization(),
        layers.ReLU(),
        layers.Conv2DTranspose(1, 4, strides=2, padding="same", activation="tanh"),
    ]


def _small_discriminator_feature_layers(width: int) -> list:
    """The layers of our small discriminator before its logit: Conv(w/2, 4, stride 2) → LeakyReLU(0.2)
    → Conv(w, 4, stride 2) → LeakyReLU(0.2) → Flatten, giving 7·7·w features φ(x)."""
    from keras import layers

    width = check_positive_int(width, "width")
    return [
        layers.Conv2D(max(1, width // 2), 4, strides=2, padding="same"),
        layers.LeakyReLU(0.2),
        layers.Conv2D(width, 4, strides=2, padding="same"),
        layers.LeakyReLU(0.2),
        layers.Flatten(),
    ]


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

    return keras.Sequential(
        [keras.Input(IMAGE_SHAPE), *_small_discriminator_feature_layers(width), layers.Dense(1)],
        name="small_discriminator",
    )


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
# the four architectures the chapter trains, with their optimiser settings
@dataclass(frozen=True)
class GanRecipe:
    """How one architecture is built and trained."""

    build_generator: Callable
    build_discriminator: Callable
    batch_size: int
    learning_rate: float  # Adam's, for both players
    beta_1: float  # Adam's
    average_decay: float | None  # moving average of the generator's weights; None: no average
    condition: str | None = None  # what both networks are told about each image: None, "digit" (its
    # MNIST label) or "cluster" (its k-means cluster: no labels used)
    num_classes: int = NUM_CLASSES  # how many digits or clusters

    @property
    def conditional(self) -> bool:
        return self.condition is not None


ARCHITECTURES = {
    "source": GanRecipe(
        build_source_generator,
        build_source_discriminator,
        SOURCE_BATCH_SIZE,
        SOURCE_LEARNING_RATE,
        beta_1=0.9,
        average_decay=None,
    ),
    "small": GanRecipe(build_small_generator, build_small_discriminator, 128, 2e-4, beta_1=0.5, average_decay=0.999),
    "conditional": GanRecipe(
        build_conditional_generator,
        build_conditional_discriminator,
        128,
        2e-4,
        beta_1=0.5,
        average_decay=0.999,
        condition="digit",
    ),
    "clustered": GanRecipe(
        partial(build_conditional_generator, num_classes=NUM_CLUSTERS),
        partial(build_conditional_discriminator, num_classes=NUM_CLUSTERS),
        128,
        2e-4,
        beta_1=0.5,
        average_decay=0.999,
        condition="cluster",
        num_classes=NUM_CLUSTERS,
    ),
}


def get_recipe(architecture: str) -> GanRecipe:
    """The :class:`GanRecipe` of ``"source"``, ``"small"``, ``"conditional"`` or ``"clustered"``."""
    return ARCHITECTURES[check_choice(architecture, "architecture", ARCHITECTURES)]


@dataclass
class GanParts:
    """What :func:`build_gan` returns: both networks, an Adam optimiser for each, and the batch size."""

    generator: object  # keras.Model
    discriminator: object  # keras.Model
    generator_optimizer: object  # keras.optimizers.Adam
    discriminator_optimizer: object  # keras.optimizers.Adam
    batch_size: int


def build_gan(architecture: str, noise_dim: int = NOISE_DIM) -> GanParts:
    """The :class:`GanParts` of ``"source"`` (Adam(1e-4), batch 256, as the source), ``"small"``,
    ``"conditional"`` or ``"clustered"`` (Adam(2e-4, beta_1 = 0.5), batch 128, the DCGAN paper's
    settings). The generator is built first, then the discriminator (the order fixes their seeded
    initial weights)."""
    import keras

    recipe = get_recipe(architecture)
    generator = recipe.build_generator(noise_dim)
    discriminator = recipe.build_discriminator()
    return GanParts(
        generator,
        discriminator,
        keras.optimizers.Adam(recipe.learning_rate, beta_1=recipe.beta_1),
        keras.optimizers.Adam(recipe.learning_rate, beta_1=recipe.beta_1),
        recipe.batch_size,
    )


# ----------------------------------------------------------------------------------------------------
# using a generator
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
    return rng.standard_normal(
        (check_positive_int(n, "n"), check_positive_int(noise_dim, "noise_dim")), dtype=np.float32
    )


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
    if labels.shape != (n,) or not np.issubdtype(labels.dtype, np.integer) or labels.min() < 0 or labels.max() >= k:
        raise ValueError(f"labels must be ({n},) integers in [0, {k}), got shape {labels.shape}, dtype {labels.dtype}")
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
    batches = [
        np.asarray(
            generator(z[i : i + step] if labels is None else [z[i : i + step], labels[i : i + step]], training=False)
        )
        for i in range(0, len(z), step)
    ]
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


def nudge_coordinate(z, dim: int, amounts) -> np.ndarray:
    """Copies of one latent vector z (d,) with coordinate ``dim`` moved by each of ``amounts`` (k,):
    (k, d) float32."""
    z = as_float_array(z, "z", ndim=1, dtype=np.float32)
    if not isinstance(dim, (int, np.integer)) or not 0 <= dim < z.shape[0]:
        raise ValueError(f"dim must be an integer in [0, {z.shape[0]}), got {dim!r}")
    amounts = as_float_array(amounts, "amounts", ndim=1, dtype=np.float32)
    nudged = np.repeat(z[None], len(amounts), axis=0)
    nudged[:, dim] += amounts
    return nudged


def latent_walks(
    generator, pairs=((0, 1), (2, 3), (4, 5)), steps: int = 9, nudge_dims=(0, 1, 2), nudge: float = 3.0
) -> dict:
    """What the latent explorer shows, as rows of images: for each pair of seeds (a, b) the straight
    line from :func:`latent_vectors` (1, a) to (1, b) in ``steps`` points; then the first pair's first
    latent vector with each coordinate of ``nudge_dims`` moved from -nudge to +nudge in ``steps``.

    Returns {description: (steps, 28, 28) float32 images in [0, 1]}, walks first, in order.
    (An unconditional generator: a conditional one would also need labels.)"""
    steps = check_positive_int(steps, "steps")
    noise_dim = noise_dimension(generator)
    rows = {}
    for a, b in pairs:
        path = interpolate_latents(latent_vectors(1, a, noise_dim)[0], latent_vectors(1, b, noise_dim)[0], steps)
        rows[f"walk from seed {a} to seed {b}"] = generate(generator, path)
    base = latent_vectors(1, pairs[0][0], noise_dim)[0]
    for dim in nudge_dims:
        z = nudge_coordinate(base, dim, np.linspace(-nudge, nudge, steps, dtype=np.float32))
        rows[f"seed {pairs[0][0]}, coordinate {dim} moved by -{nudge:g} … +{nudge:g}"] = generate(generator, z)
    return rows
