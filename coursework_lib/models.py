"""Keras model builders shared by several chapters, and the book's MNIST "judge" classifier.

* :func:`build_source_cnn` — the source report's CNN (chapter 3; chapter 4 imports it).
* :func:`build_improved_cnn` — chapter 3's better network: batch normalisation, dropout, ``same``
  padding, three conv blocks. Trained (with light augmentation) by ``scripts/train_cnn.py``.
* :func:`get_mnist_classifier` — the source CNN trained on MNIST, loaded from
  ``weights/mnist_cnn.keras`` (trained and cached there if missing). Later chapters use it to judge
  generated digits through :func:`classifier_probabilities` (softmax probabilities, (n, 10)) and
  :func:`classifier_features` (the 128 penultimate-layer activations, (n, 128)).

Every classifier here takes images (batch, 28, 28, 1) float32 in [0, 1] and returns (batch, 10) logits.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from .validation import check_positive_int

SOURCE_CNN_EPOCHS = 6  # the source report's accuracy plateaued at about epoch 6
MNIST_CLASSIFIER_FILE = "mnist_cnn.keras"


def build_source_cnn(input_shape=(28, 28, 1), num_classes: int = 10, num_conv: int = 3):
    """The source report's CNN: Conv(32,3) → Pool → Conv(64,3) → Pool → Conv(128,3) → Flatten →
    Dense(128) → Dense(num_classes) logits, ReLU everywhere. ``num_conv=2`` drops the third convolution.

    Input (batch, 28, 28, 1) float32 in [0, 1] -> (batch, num_classes) logits. Not compiled.
    """
    import keras
    from keras import layers

    num_classes = check_positive_int(num_classes, "num_classes")
    if num_conv not in (2, 3):
        raise ValueError(f"num_conv must be 2 or 3, got {num_conv!r}")
    stack = [keras.Input(shape=tuple(input_shape)),
             layers.Conv2D(32, 3, activation="relu"), layers.MaxPooling2D(2),
             layers.Conv2D(64, 3, activation="relu")]
    if num_conv == 3:
        stack += [layers.MaxPooling2D(2), layers.Conv2D(128, 3, activation="relu")]
    stack += [layers.Flatten(), layers.Dense(128, activation="relu"), layers.Dense(num_classes)]
    return keras.Sequential(stack, name=f"source_cnn_{num_conv}conv")


def build_improved_cnn(input_shape=(28, 28, 1), num_classes: int = 10, width: int = 32,
                       dropout: float = 0.4):
    """Three blocks Conv(3×3, same) → BatchNorm → ReLU → MaxPool(2) with ``width``, 2·width, 4·width
    filters, then Dropout → Dense(128) → BatchNorm → ReLU → Dropout → Dense(num_classes) logits.

    Same padding keeps the border pixels in play; batch normalisation lets Adam use a larger step and
    regularises a little; dropout fights the over-fitting the source network shows on Fashion-MNIST.
    Input (batch, 28, 28, 1) float32 in [0, 1] -> (batch, num_classes) logits. Not compiled.
    """
    import keras
    from keras import layers

    num_classes = check_positive_int(num_classes, "num_classes")
    width = check_positive_int(width, "width")
    if not 0.0 <= float(dropout) < 1.0:
        raise ValueError(f"dropout must be in [0, 1), got {dropout!r}")
    stack = [keras.Input(shape=tuple(input_shape))]
    for filters in (width, 2 * width, 4 * width):
        stack += [layers.Conv2D(filters, 3, padding="same", use_bias=False), layers.BatchNormalization(),
                  layers.ReLU(), layers.MaxPooling2D(2)]
    stack += [layers.Flatten(), layers.Dropout(dropout), layers.Dense(128, use_bias=False),
              layers.BatchNormalization(), layers.ReLU(), layers.Dropout(dropout), layers.Dense(num_classes)]
    return keras.Sequential(stack, name="improved_cnn")


def compile_classifier(model, lr=1e-3):
    """Adam + sparse categorical cross-entropy from logits + accuracy, as in the source report.
    lr: a float, or a ``keras.optimizers.schedules.LearningRateSchedule``."""
    import keras

    model.compile(optimizer=keras.optimizers.Adam(lr),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    return model


def as_model_input(images) -> np.ndarray:
    """Images (n, 28, 28) or (n, 28, 28, 1), uint8 in [0, 255] or float in [0, 1] -> (n, 28, 28, 1) float32."""
    images = np.asarray(images)
    if images.ndim == 3:
        images = images[..., None]
    if images.ndim != 4 or images.shape[-1] != 1:
        raise ValueError(f"images must have shape (n, h, w) or (n, h, w, 1), got {images.shape}")
    if images.dtype == np.uint8:
        return images.astype(np.float32) / np.float32(255.0)
    if not np.issubdtype(images.dtype, np.floating):
        raise TypeError(f"images must be uint8 or float in [0, 1], got dtype {images.dtype}")
    return images.astype(np.float32, copy=False)


def weights_dir() -> Path:
    """Where trained weights live: ``$COURSEWORK_WEIGHTS`` or the repository's ``weights/`` folder."""
    if os.environ.get("COURSEWORK_WEIGHTS"):
        return Path(os.environ["COURSEWORK_WEIGHTS"])
    return Path(__file__).resolve().parents[1] / "weights"


def load_weights_model(filename: str):
    """Load a Keras model saved under :func:`weights_dir`; FileNotFoundError names the script to run."""
    import keras

    path = weights_dir() / filename
    if not path.is_file():
        raise FileNotFoundError(f"{path} does not exist; create it with `python scripts/train_cnn.py`")
    return keras.models.load_model(path)


def train_source_mnist_classifier(epochs: int = SOURCE_CNN_EPOCHS, seed: int = 0, verbose: int = 2):
    """Train the source CNN on all 60 000 MNIST training images; returns the compiled model."""
    import keras

    from .data import load_mnist

    keras.utils.set_random_seed(seed)
    (x_train, y_train), _ = load_mnist()
    model = compile_classifier(build_source_cnn())
    model.fit(as_model_input(x_train), y_train, epochs=check_positive_int(epochs, "epochs"),
              batch_size=128, verbose=verbose)
    return model


def get_mnist_classifier(train_if_missing: bool = True):
    """The book's MNIST classifier: the source CNN, (batch, 28, 28, 1) in [0, 1] -> (batch, 10) logits.

    Loaded from ``weights/mnist_cnn.keras``. If the file is missing and ``train_if_missing`` is true,
    the network is trained (about a minute per epoch on a busy laptop CPU) and saved there first.
    Use :func:`classifier_probabilities` and :func:`classifier_features` to judge images with it.
    """
    path = weights_dir() / MNIST_CLASSIFIER_FILE
    if path.is_file():
        return load_weights_model(MNIST_CLASSIFIER_FILE)
    if not train_if_missing:
        raise FileNotFoundError(f"{path} does not exist; run `python scripts/train_cnn.py --only source_mnist`")
    model = train_source_mnist_classifier()
    path.parent.mkdir(parents=True, exist_ok=True)
    model.save(path)
    return model


def classifier_logits(model, images, batch_size: int = 1000) -> np.ndarray:
    """(n, 28, 28[, 1]) images -> (n, num_classes) float32 logits."""
    return np.asarray(model.predict(as_model_input(images), batch_size=batch_size, verbose=0))


def probabilities_from_logits(logits) -> np.ndarray:
    """(n, num_classes) logits -> float32 softmax probabilities (computed in float64; rows sum to 1)."""
    from .activations import softmax

    return softmax(np.asarray(logits, dtype=np.float64)).astype(np.float32)


def classifier_probabilities(model, images, batch_size: int = 1000) -> np.ndarray:
    """(n, 28, 28[, 1]) images -> (n, num_classes) float32 softmax probabilities (rows sum to 1)."""
    return probabilities_from_logits(classifier_logits(model, images, batch_size))


def penultimate_model(model):
    """A Keras model from the classifier's input to the input of its last (logit) layer."""
    import keras

    inputs = keras.Input(shape=model.input_shape[1:])
    x = inputs
    for layer in model.layers[:-1]:
        x = layer(x)
    return keras.Model(inputs, x, name=f"{model.name}_features")


def classifier_features(model, images, batch_size: int = 1000) -> np.ndarray:
    """(n, 28, 28[, 1]) images -> (n, d) float32 penultimate activations (d = 128 for both CNNs here).

    These features are what e.g. a Fréchet-style distance between real and generated digits compares.
    """
    return np.asarray(penultimate_model(model).predict(as_model_input(images), batch_size=batch_size,
                                                      verbose=0))
