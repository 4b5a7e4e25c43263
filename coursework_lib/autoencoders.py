"""Autoencoders and denoising (chapter 5).

* :func:`add_gaussian_noise` — the noise model of all three source reports,
  ``x_noisy = clip(x + sigma * N(0, 1), 0, 1)`` with pixels in [0, 1].
* The three source architectures, as Keras builders (not compiled):
  :func:`build_dense_autoencoder` (784 → 64 → 784) with :func:`build_dense_classifier`,
  :func:`build_pooling_autoencoder` (conv + max-pooling, a 4×4×8 code; :func:`encoder_of` cuts out
  its encoder) and :func:`build_strided_autoencoder` (strided conv / transposed conv).
* :func:`build_unet_denoiser` — the book's improved denoiser: a small U-Net trained blind on a
  range of noise levels (``scripts/train_denoisers.py``).
* :func:`denoise_and_classify` — one Keras model: noisy image → autoencoder → classifier.
* :func:`denoise` and :func:`reshape_for_model` — run any of these models on (n, 28, 28[, 1]) images.

Images are float32 in [0, 1]; convolutional models take (batch, 28, 28, 1), the dense ones (batch, 784).
"""

from __future__ import annotations

import numpy as np

from .validation import as_float_array, check_finite_number, check_positive_int

IMAGE_SHAPE = (28, 28, 1)
# File names of the weights scripts/train_denoisers.py writes under weights/.
DENSE_AE_FILE = "ch05_dense_ae_s09.keras"
DENSE_CLASSIFIER_FILE = "ch05_dense_classifier.keras"
POOLING_AE_FILES = {"clean": "ch05_pooling_ae_clean.keras", "noisy": "ch05_pooling_ae_noisy.keras"}
STRIDED_AE_FILES = {0.2: "ch05_strided_ae_s02.keras", 0.6: "ch05_strided_ae_s06.keras",
                    1.0: "ch05_strided_ae_s10.keras"}
UNET_FILE = "ch05_unet_denoiser.keras"
HISTORY_FILE = "ch05_histories.json"


# issue #5's goals for the denoised-then-classified accuracy, by noise level σ
DENOISING_TARGETS = {0.2: 0.992, 0.6: 0.985, 0.9: 0.95, 1.0: 0.96}


def _rng(seed):
    return seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)


def add_gaussian_noise(X, sigma: float, seed=None) -> np.ndarray:
    """``clip(X + sigma * N(0, 1), 0, 1)``, the source reports' noise model.

    X: any shape, float in [0, 1]. sigma: the noise standard deviation, >= 0.
    seed: an int, None or a numpy Generator. Returns float32 of X's shape.
    """
    X = as_float_array(X, "X", dtype=np.float32)
    sigma = check_finite_number(sigma, "sigma")
    if sigma < 0:
        raise ValueError(f"sigma must be >= 0, got {sigma!r}")
    Z = _rng(seed).standard_normal(X.shape, dtype=np.float32)
    return np.clip(X + np.float32(sigma) * Z, 0.0, 1.0)


def noisy_test_sets(X_test, sigmas) -> dict:
    """Chapter 5's fixed noisy test sets: {σ: add_gaussian_noise(X_test, σ, seed=100 + int(10σ))}.

    One seed per σ, so the notebook, the training scripts and the benchmarks judge every model on the
    same noisy images. X_test: (n, ...) in [0, 1]; sigmas: an iterable of σ >= 0.
    """
    return {s: add_gaussian_noise(X_test, s, seed=100 + int(10 * s)) for s in sigmas}


def noisy_pairs(X, sigmas, seed=None) -> tuple[np.ndarray, np.ndarray]:
    """Noisy copies of X, one noise level per image drawn uniformly from ``sigmas`` = (low, high).

    Used to train a blind denoiser. X: (n, ...) in [0, 1]. Returns (X_noisy float32, sigma (n,) float32).
    """
    X = as_float_array(X, "X", dtype=np.float32)
    low, high = (check_finite_number(s, "sigmas") for s in sigmas)
    if not 0 <= low <= high:
        raise ValueError(f"sigmas must be (low, high) with 0 <= low <= high, got {sigmas!r}")
    rng = _rng(seed)
    sigma = rng.uniform(low, high, size=len(X)).astype(np.float32)
    Z = rng.standard_normal(X.shape, dtype=np.float32)
    scale = sigma.reshape((-1,) + (1,) * (X.ndim - 1))
    return np.clip(X + scale * Z, 0.0, 1.0), sigma


# --- the three source architectures -------------------------------------------------------------

def build_dense_autoencoder(input_dim: int = 784, code_dim: int = 64):
    """Source 1: input_dim → Dense(code_dim, relu) → Dense(input_dim, sigmoid). (batch, 784) → (batch, 784)."""
    import keras
    from keras import layers

    input_dim, code_dim = check_positive_int(input_dim, "input_dim"), check_positive_int(code_dim, "code_dim")
    return keras.Sequential([keras.Input((input_dim,)), layers.Dense(code_dim, activation="relu", name="code"),
                             layers.Dense(input_dim, activation="sigmoid")], name="dense_autoencoder")


def build_dense_classifier(input_dim: int = 784, hidden=(256, 256), num_classes: int = 10):
    """Source 1's classifier: input_dim → 256 relu → 256 relu → num_classes softmax (probabilities)."""
    import keras
    from keras import layers

    stack = [keras.Input((check_positive_int(input_dim, "input_dim"),))]
    stack += [layers.Dense(check_positive_int(h, "hidden"), activation="relu") for h in hidden]
    stack += [layers.Dense(check_positive_int(num_classes, "num_classes"), activation="softmax")]
    return keras.Sequential(stack, name="dense_classifier")


def build_pooling_autoencoder(input_shape=IMAGE_SHAPE):
    """Source 2: Conv(16) → Pool → Conv(8) → Pool → Conv(8) → Pool gives a (4, 4, 8) code (layer "code");
    Conv(8) → Up → Conv(8) → Up → Conv(16, valid) → Up → Conv(1, sigmoid) decodes it to (28, 28, 1).

    All kernels 3×3, ReLU, ``same`` padding except the 16-filter decoder conv (``valid``: 16 → 14).
    """
    import keras
    from keras import layers

    inputs = keras.Input(tuple(input_shape))
    x = layers.Conv2D(16, 3, activation="relu", padding="same")(inputs)
    x = layers.MaxPooling2D(2, padding="same")(x)
    x = layers.Conv2D(8, 3, activation="relu", padding="same")(x)
    x = layers.MaxPooling2D(2, padding="same")(x)
    x = layers.Conv2D(8, 3, activation="relu", padding="same")(x)
    code = layers.MaxPooling2D(2, padding="same", name="code")(x)
    x = layers.Conv2D(8, 3, activation="relu", padding="same")(code)
    x = layers.UpSampling2D(2)(x)
    x = layers.Conv2D(8, 3, activation="relu", padding="same")(x)
    x = layers.UpSampling2D(2)(x)
    x = layers.Conv2D(16, 3, activation="relu", padding="valid")(x)
    x = layers.UpSampling2D(2)(x)
    outputs = layers.Conv2D(1, 3, activation="sigmoid", padding="same")(x)
    return keras.Model(inputs, outputs, name="pooling_autoencoder")


def encoder_of(autoencoder, code_layer: str = "code"):
    """The encoder half of a functional autoencoder: its input → the output of layer ``code_layer``."""
    import keras

    try:
        code = autoencoder.get_layer(code_layer).output
    except ValueError:
        raise ValueError(f"autoencoder has no layer named {code_layer!r}") from None
    return keras.Model(autoencoder.inputs, code, name=f"{autoencoder.name}_encoder")


def build_strided_autoencoder(input_shape=IMAGE_SHAPE):
    """Source 3: Conv(16, 3, stride 2) → Conv(8, 3, stride 2) → ConvT(8, 3, stride 2) → ConvT(16, 3, stride 2)
    → Conv(1, 3, sigmoid); ReLU and ``same`` padding: 28 → 14 → 7 → 14 → 28."""
    import keras
    from keras import layers

    return keras.Sequential([
        keras.Input(tuple(input_shape)),
        layers.Conv2D(16, 3, strides=2, activation="relu", padding="same"),
        layers.Conv2D(8, 3, strides=2, activation="relu", padding="same", name="code"),
        layers.Conv2DTranspose(8, 3, strides=2, activation="relu", padding="same"),
        layers.Conv2DTranspose(16, 3, strides=2, activation="relu", padding="same"),
        layers.Conv2D(1, 3, activation="sigmoid", padding="same"),
    ], name="strided_autoencoder")


# --- the improved denoiser ----------------------------------------------------------------------

def build_unet_denoiser(input_shape=IMAGE_SHAPE, width: int = 8):
    """A small U-Net: two down-sampling levels (widths w, 2w, 4w), skip connections, sigmoid output.

    Level l: two 3×3 ReLU convolutions; down by max-pooling, up by a stride-2 transposed convolution
    whose output is concatenated with the same-resolution encoder features (the skips carry the
    stroke positions the bottleneck would blur). (batch, 28, 28, 1) → (batch, 28, 28, 1) in [0, 1].
    """
    import keras
    from keras import layers

    width = check_positive_int(width, "width")

    def block(x, filters, name):
        x = layers.Conv2D(filters, 3, padding="same", activation="relu", name=f"{name}_a")(x)
        return layers.Conv2D(filters, 3, padding="same", activation="relu", name=f"{name}_b")(x)

    inputs = keras.Input(tuple(input_shape))
    e1 = block(inputs, width, "enc1")                                     # 28×28×w
    e2 = block(layers.MaxPooling2D(2)(e1), 2 * width, "enc2")             # 14×14×2w
    bottom = block(layers.MaxPooling2D(2)(e2), 4 * width, "code")         # 7×7×4w
    u2 = layers.Conv2DTranspose(2 * width, 3, strides=2, padding="same", activation="relu")(bottom)
    d2 = block(layers.Concatenate()([u2, e2]), 2 * width, "dec2")
    u1 = layers.Conv2DTranspose(width, 3, strides=2, padding="same", activation="relu")(d2)
    d1 = block(layers.Concatenate()([u1, e1]), width, "dec1")
    outputs = layers.Conv2D(1, 1, activation="sigmoid", name="clean")(d1)
    return keras.Model(inputs, outputs, name="unet_denoiser")


# --- using the models ---------------------------------------------------------------------------

def as_images(X) -> np.ndarray:
    """(n, 28, 28), (n, 28, 28, 1) or (n, 784) floats in [0, 1] -> (n, 28, 28, 1) float32."""
    X = as_float_array(X, "X", dtype=np.float32)
    if X.ndim < 2 or int(np.prod(X.shape[1:])) != 784:
        raise ValueError(f"X must have shape (n, 28, 28), (n, 28, 28, 1) or (n, 784), got {X.shape}")
    return X.reshape((len(X),) + IMAGE_SHAPE)


def reshape_for_model(model, X) -> np.ndarray:
    """Images (n, 28, 28), (n, 28, 28, 1) or (n, 784) reshaped to ``model``'s input, float32."""
    X = as_float_array(X, "X", dtype=np.float32)
    target = tuple(model.input_shape[1:])
    if X.ndim < 2 or int(np.prod(X.shape[1:])) != int(np.prod(target)):
        raise ValueError(f"X must have shape (n, ...) with {int(np.prod(target))} values per image "
                         f"(model input {target}), got {X.shape}")
    return X.reshape((len(X),) + target)


def denoise(autoencoder, X_noisy, batch_size: int = 1000) -> np.ndarray:
    """Run an autoencoder on images of any of the shapes :func:`reshape_for_model` takes.

    Returns (n, 28, 28, 1) float32 in [0, 1], whatever the autoencoder's own input shape.
    """
    X = reshape_for_model(autoencoder, X_noisy)
    out = np.asarray(autoencoder.predict(X, batch_size=check_positive_int(batch_size, "batch_size"), verbose=0))
    return out.reshape((len(X),) + IMAGE_SHAPE)


def denoise_and_classify(autoencoder, classifier, name: str = "denoise_and_classify"):
    """One Keras model: noisy image → autoencoder → classifier → the classifier's outputs.

    The input has the autoencoder's input shape; a Reshape layer bridges dense and convolutional
    halves (e.g. the 784-vector autoencoder in front of a (28, 28, 1) CNN). Both halves keep their
    trained weights (they are shared, not copied).
    """
    import keras
    from keras import layers

    inputs = keras.Input(tuple(autoencoder.input_shape[1:]))
    x = autoencoder(inputs)
    wanted = tuple(classifier.input_shape[1:])
    if tuple(autoencoder.output_shape[1:]) != wanted:
        x = layers.Reshape(wanted)(x)
    return keras.Model(inputs, classifier(x), name=name)


def denoise_and_judge(denoiser, classifier, images, sigma: float, seed=None) -> dict:
    """Add noise of level ``sigma`` to clean images, denoise them, and let ``classifier`` (logits) judge.

    images: (n, 28, 28[, 1]) in [0, 1]. Returns {"noisy", "denoised": (n, 28, 28, 1) float32,
    "label": (n,) int64 predicted class, "confidence": (n,) float32 its softmax probability}.
    """
    from .models import classifier_probabilities

    X = as_images(images)
    noisy = add_gaussian_noise(X, sigma, seed=seed)
    denoised = denoise(denoiser, noisy)
    probabilities = classifier_probabilities(classifier, denoised)
    label = np.argmax(probabilities, axis=1)
    return {"noisy": noisy, "denoised": denoised, "label": label,
            "confidence": probabilities[np.arange(len(label)), label]}
