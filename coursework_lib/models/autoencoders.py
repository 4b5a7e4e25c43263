"""The autoencoders of chapter 5, as Keras builders (not compiled), and running them on images.

* :func:`build_dense_autoencoder` (784 → 64 → 784), :func:`build_pooling_autoencoder` (conv +
  max-pooling, a 4×4×8 code; :func:`encoder_of` cuts out its encoder) and
  :func:`build_strided_autoencoder` (strided conv / transposed conv): the three sources' networks.
* :func:`build_unet_denoiser` — the book's improved denoiser: a small U-Net trained blind on a
  range of noise levels (``scripts/train_denoisers.py``).
* :func:`denoise_and_classify` — one Keras model: noisy image → autoencoder → classifier.
* :func:`denoise` — run any of these models on (n, 28, 28[, 1]) or (n, 784) images.

Images are float32 in [0, 1]; convolutional models take (batch, 28, 28, 1), the dense ones (batch, 784).
"""

from __future__ import annotations

import numpy as np

from coursework_lib.core.images import IMAGE_SHAPE, reshape_for_model
from coursework_lib.core.validation import check_positive_int

# File names of the weights scripts/train_denoisers.py writes under weights/.
DENSE_AE_FILE = "ch05_dense_ae_s09.keras"
DENSE_AE_UNIFORM_FILE = "ch05_dense_ae_uniform_s09.keras"
DENSE_AE_FILES_BY_NOISE = {"Gaussian": DENSE_AE_FILE, "uniform": DENSE_AE_UNIFORM_FILE}  # source 4's two readings
POOLING_AE_FILES = {"clean": "ch05_pooling_ae_clean.keras", "noisy": "ch05_pooling_ae_noisy.keras"}
STRIDED_AE_FILES = {
    0.2: "ch05_strided_ae_s02.keras",
    0.6: "ch05_strided_ae_s06.keras",
    1.0: "ch05_strided_ae_s10.keras",
}
UNET_FILE = "ch05_unet_denoiser.keras"
HISTORY_FILE = "ch05_histories.json"
SOURCE_PROTOCOL_FILE = "ch05_source_protocol.json"


def build_dense_autoencoder(input_dim: int = 784, code_dim: int = 64):
    """Source 1: input_dim → Dense(code_dim, relu) → Dense(input_dim, sigmoid). (batch, 784) → (batch, 784)."""
    import keras
    from keras import layers

    input_dim, code_dim = check_positive_int(input_dim, "input_dim"), check_positive_int(code_dim, "code_dim")
    return keras.Sequential(
        [
            keras.Input((input_dim,)),
            layers.Dense(code_dim, activation="relu", name="code"),
            layers.Dense(input_dim, activation="sigmoid"),
        ],
        name="dense_autoencoder",
    )


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


def build_strided_autoencoder(input_shape=IMAGE_SHAPE, output_activation: str = "relu"):
    """Source 3 (report 3) as listed: Conv(16, 3, stride 2) → Conv(8, 3, stride 2) → ConvT(8, 3, stride 2)
    → ConvT(16, 3, stride 2) → Conv(1, 3, ``output_activation``); ReLU and ``same`` padding:
    (batch, 28, 28, 1) → 14 → 7 → 14 → (batch, 28, 28, 1). The report's output is ReLU (the default);
    ``"sigmoid"`` gives the variant an earlier edition of the book trained with binary cross-entropy.
    """
    import keras
    from keras import layers

    if output_activation not in ("relu", "sigmoid"):
        raise ValueError(f"output_activation must be 'relu' or 'sigmoid', got {output_activation!r}")
    return keras.Sequential(
        [
            keras.Input(tuple(input_shape)),
            layers.Conv2D(16, 3, strides=2, activation="relu", padding="same"),
            layers.Conv2D(8, 3, strides=2, activation="relu", padding="same", name="code"),
            layers.Conv2DTranspose(8, 3, strides=2, activation="relu", padding="same"),
            layers.Conv2DTranspose(16, 3, strides=2, activation="relu", padding="same"),
            layers.Conv2D(1, 3, activation=output_activation, padding="same"),
        ],
        name="strided_autoencoder",
    )


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
    e1 = block(inputs, width, "enc1")  # 28×28×w
    e2 = block(layers.MaxPooling2D(2)(e1), 2 * width, "enc2")  # 14×14×2w
    bottom = block(layers.MaxPooling2D(2)(e2), 4 * width, "code")  # 7×7×4w
    u2 = layers.Conv2DTranspose(2 * width, 3, strides=2, padding="same", activation="relu")(bottom)
    d2 = block(layers.Concatenate()([u2, e2]), 2 * width, "dec2")
    u1 = layers.Conv2DTranspose(width, 3, strides=2, padding="same", activation="relu")(d2)
    d1 = block(layers.Concatenate()([u1, e1]), width, "dec1")
    outputs = layers.Conv2D(1, 1, activation="sigmoid", name="clean")(d1)
    return keras.Model(inputs, outputs, name="unet_denoiser")


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
