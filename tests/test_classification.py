"""classification's pixel checks: 0-255 input is rejected with the fix; a ReLU decoder's overshoot passes."""

import numpy as np
import pytest

from coursework_lib.evaluation import classification


@pytest.fixture(scope="module")
def linear_classifier():
    import keras

    rng = np.random.default_rng(5)
    model = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Flatten(), keras.layers.Dense(10)])
    W, b = rng.normal(size=(784, 10)).astype(np.float32), rng.normal(size=10).astype(np.float32)
    model.set_weights([W, b])
    return model, W, b


@pytest.fixture(scope="module")
def digits():
    rng = np.random.default_rng(6)
    X = (rng.random((20, 28, 28)) ** 4).astype(np.float32)
    X[:, 14, 14] = 1.0  # every digit has a white pixel, as MNIST's do
    return X, rng.integers(0, 10, 20)


def test_accuracy_rejects_uint8_and_0_255_pixels_naming_the_fix(linear_classifier, digits):
    model, _, _ = linear_classifier
    X, y = digits
    with pytest.raises(ValueError, match=r"dtype uint8.*X / 255.*to_unit_float"):
        classification.accuracy(model, (255 * X).round().astype(np.uint8), y)
    with pytest.raises(ValueError, match=r"got values in \[.*, 255\].*X / 255.*to_unit_float"):
        classification.accuracy(model, 255 * X, y)
    with pytest.raises(ValueError, match=r"\(X \+ 1\) / 2"):  # a tanh generator's [-1, 1] images
        classification.predict_labels(model, 2 * X - 1)


def test_accuracy_accepts_a_relu_decoders_overshoot_and_matches_numpy(linear_classifier, digits):
    """Report 3's strided autoencoder ends in a ReLU; its outputs (up to 1.91 measured) are judged unclipped."""
    model, W, b = linear_classifier
    X, y = digits
    overshoot = X * 1.9
    predicted = np.argmax(overshoot.reshape(len(X), -1) @ W + b, axis=1)
    assert classification.accuracy(model, overshoot, y) == pytest.approx(np.mean(predicted == y))


def test_probabilities_and_features_reject_0_255_floats_and_convert_uint8(linear_classifier, digits):
    model, W, b = linear_classifier
    X, _ = digits
    with pytest.raises(ValueError, match=r"images must have pixels in .*X / 255"):
        classification.classifier_probabilities(model, 255 * X)
    with pytest.raises(ValueError, match=r"images must have pixels in .*X / 255"):
        classification.classifier_logits(model, 255 * X)
    as_uint8 = (255 * X).round().astype(np.uint8)  # uint8 is documented input here: divided by 255
    logits = classification.classifier_logits(model, as_uint8)
    np.testing.assert_allclose(logits, (as_uint8.reshape(len(X), -1) / 255) @ W + b, rtol=1e-4, atol=1e-4)
