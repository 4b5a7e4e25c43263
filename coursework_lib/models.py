"""Keras model builders shared by several chapters."""

from __future__ import annotations

from .validation import check_positive_int


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
