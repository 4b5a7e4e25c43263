"""Keras builders and the MNIST classifier helpers, checked against Keras/TensorFlow directly."""

import numpy as np
import pytest

from coursework_lib.core.images import as_model_input
from coursework_lib.evaluation import classification
from coursework_lib.models import classifiers as models
from coursework_lib.training.classifiers import get_mnist_classifier


def test_source_cnn_shapes_and_parameter_count():
    model = models.build_source_cnn()
    assert model.output_shape == (None, 10)
    # conv 3*3*1*32+32, 3*3*32*64+64, 3*3*64*128+128, dense 3*3*128*128+128, 128*10+10
    assert model.count_params() == 320 + 18496 + 73856 + 147584 + 1290
    with pytest.raises(ValueError, match="num_conv"):
        models.build_source_cnn(num_conv=4)


def test_improved_cnn_shapes_and_errors():
    model = models.build_improved_cnn(width=8)
    assert model.output_shape == (None, 10)
    assert any(type(layer).__name__ == "BatchNormalization" for layer in model.layers)
    with pytest.raises(ValueError, match="dropout"):
        models.build_improved_cnn(dropout=1.5)
    with pytest.raises(ValueError, match="width"):
        models.build_improved_cnn(width=0)


def test_as_model_input_scales_uint8_and_adds_channel():
    images = np.array([[[0, 255]]], dtype=np.uint8)
    out = as_model_input(images)
    assert out.shape == (1, 1, 2, 1) and out.dtype == np.float32
    np.testing.assert_allclose(out[0, 0, :, 0], [0.0, 1.0])
    with pytest.raises(ValueError, match=r"images must have shape"):
        as_model_input(np.zeros((2, 28, 28, 3)))
    with pytest.raises(TypeError, match="uint8 or float"):
        as_model_input(np.zeros((2, 28, 28), dtype=np.int32))


def test_probabilities_and_features_match_keras(tmp_path, monkeypatch):
    import keras
    import tensorflow as tf

    keras.utils.set_random_seed(0)
    model = models.build_source_cnn()
    monkeypatch.setenv("COURSEWORK_WEIGHTS", str(tmp_path))
    with pytest.raises(FileNotFoundError, match="train_cnn.py"):
        get_mnist_classifier(train_if_missing=False)
    model.save(tmp_path / models.MNIST_CLASSIFIER_FILE)
    loaded = get_mnist_classifier(train_if_missing=False)
    images = np.random.default_rng(0).integers(0, 256, size=(5, 28, 28)).astype(np.uint8)
    x = images[..., None].astype(np.float32) / 255
    probabilities = classification.classifier_probabilities(loaded, images)
    np.testing.assert_allclose(probabilities, tf.nn.softmax(model(x)).numpy(), rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, rtol=1e-6)
    features = classification.classifier_features(loaded, images)
    reference = keras.Model(model.inputs[0], model.layers[-2].output)(x).numpy()
    assert features.shape == (5, 128)
    np.testing.assert_allclose(features, reference, rtol=1e-4, atol=1e-5)


def test_precision_and_recall_match_counting_by_hand():
    y_true = np.array([0, 0, 0, 1, 1, 2, 2, 2, 2])
    y_pred = np.array([0, 1, 0, 1, 1, 2, 0, 2, 1])
    C = classification.confusion_matrix(y_true, y_pred, 4)
    precision, recall = classification.precision_recall(C)
    # called 0: items 0, 2, 6 -> two are 0; called 1: items 1, 3, 4, 8 -> two are 1; called 2: 5, 7 -> both
    np.testing.assert_allclose(precision[:3], [2 / 3, 2 / 4, 2 / 2])
    # class 0: 2 of 3 found; class 1: 2 of 2; class 2: 2 of 4
    np.testing.assert_allclose(recall[:3], [2 / 3, 2 / 2, 2 / 4])
    assert np.isnan(precision[3]) and np.isnan(recall[3])  # class 3 never occurs nor is predicted
    with pytest.raises(ValueError, match="C must"):
        classification.precision_recall(np.ones((2, 3), dtype=int))
