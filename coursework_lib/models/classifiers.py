"""Keras classifier builders: the source report's CNN, chapter 3's improved CNN, source 4's dense
classifier, and loading a saved classifier from ``weights/``.

Every CNN here takes images (batch, 28, 28, 1) float32 in [0, 1] and returns (batch, 10) logits.
"""

from __future__ import annotations

from coursework_lib.core.paths import weights_dir
from coursework_lib.core.validation import check_positive_int

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
    stack = [
        keras.Input(shape=tuple(input_shape)),
        layers.Conv2D(32, 3, activation="relu"),
        layers.MaxPooling2D(2),
        layers.Conv2D(64, 3, activation="relu"),
    ]
    if num_conv == 3:
        stack += [layers.MaxPooling2D(2), layers.Conv2D(128, 3, activation="relu")]
    stack += [layers.Flatten(), layers.Dense(128, activation="relu"), layers.Dense(num_classes)]
    return keras.Sequential(stack, name=f"source_cnn_{num_conv}conv")


def build_improved_cnn(input_shape=(28, 28, 1), num_classes: int = 10, width: int = 32, dropout: float = 0.4):
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
        stack += [
            layers.Conv2D(filters, 3, padding="same", use_bias=False),
            layers.BatchNormalization(),
            layers.ReLU(),
            layers.MaxPooling2D(2),
        ]
    stack += [
        layers.Flatten(),
        layers.Dropout(dropout),
        layers.Dense(128, use_bias=False),
        layers.BatchNormalization(),
        layers.ReLU(),
        layers.Dropout(dropout),
        layers.Dense(num_classes),
    ]
    return keras.Sequential(stack, name="improved_cnn")


def build_dense_classifier(input_dim: int = 784, hidden=(256, 256), num_classes: int = 10):
    """Source 1's classifier: input_dim → 256 relu → 256 relu → num_classes softmax (probabilities)."""
    import keras
    from keras import layers

    stack = [keras.Input((check_positive_int(input_dim, "input_dim"),))]
    stack += [layers.Dense(check_positive_int(h, "hidden"), activation="relu") for h in hidden]
    stack += [layers.Dense(check_positive_int(num_classes, "num_classes"), activation="softmax")]
    return keras.Sequential(stack, name="dense_classifier")


def compile_classifier(model, lr=1e-3):
    """Adam + sparse categorical cross-entropy from logits + accuracy, as in the source report.
    lr: a float, or a ``keras.optimizers.schedules.LearningRateSchedule``."""
    import keras

    model.compile(
        optimizer=keras.optimizers.Adam(lr),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    return model


def load_weights_model(filename: str):
    """Load a Keras model saved under :func:`weights_dir`; FileNotFoundError names the script to run."""
    import keras

    path = weights_dir() / filename
    if not path.is_file():
        raise FileNotFoundError(f"{path} does not exist; create it with `python scripts/train_cnn.py`")
    return keras.models.load_model(path)


def penultimate_model(model):
    """A Keras model from the classifier's input to the input of its last (logit) layer."""
    import keras

    inputs = keras.Input(shape=model.input_shape[1:])
    x = inputs
    for layer in model.layers[:-1]:
        x = layer(x)
    return keras.Model(inputs, x, name=f"{model.name}_features")
