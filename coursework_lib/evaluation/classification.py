"""Judging a classifier: predicted labels, accuracy, probabilities, penultimate features, confusion matrices.

``classifier`` is a Keras model whose last layer gives logits (or probabilities: the arg-max is the same);
images are reshaped to its input by :func:`coursework_lib.core.images.reshape_for_model`.
"""

from __future__ import annotations

import numpy as np

from coursework_lib.core.images import as_model_input, reshape_for_model
from coursework_lib.core.validation import as_unit_images, check_positive_int
from coursework_lib.maths.activations import softmax
from coursework_lib.maths.mlp import accuracy as label_accuracy
from coursework_lib.models.classifiers import penultimate_model

MODEL_OUTPUT_MAX = 4.0
"""The largest pixel value the functions here accept. Images from data are in [0, 1], but these functions
also judge the output of decoders whose last layer is a ReLU, which overshoots 1, and report 3 feeds that
output to its CNN unclipped: chapter 5's shipped strided autoencoders (report 3's) reach 1.82 on the clean
test digits and 1.91 on the training digits (the sigma = 1.0 model; measured when this bound was set), and
a retrained model may go further. The check is for the unit mistake, which no bound between 2 and 200
misses: 0-255 pixels (every MNIST digit has pixels near 255) and uint8 arrays. Noise and restoration,
which only take images from data, keep the strict bound of 1."""


def _checked_pixels(X, name: str = "X") -> np.ndarray:
    """Images as float32 after the pixel check: integer arrays and values outside [0, MODEL_OUTPUT_MAX]
    are rejected with the fix in the message (``/ 255``, ``data.to_unit_float``)."""
    return as_unit_images(X, name, max_value=MODEL_OUTPUT_MAX)


def predict_labels(classifier, X, batch_size: int = 1000) -> np.ndarray:
    """Arg-max class of a classifier (logits or probabilities) on images reshaped to its input: (n,) int64.

    X: (n, 28, 28), (n, 28, 28, 1) or (n, 784) float pixels in [0, 1] (up to MODEL_OUTPUT_MAX for a ReLU
    decoder's output); uint8 or 0-255 input raises ValueError naming the fix."""
    X = reshape_for_model(classifier, _checked_pixels(X))
    scores = classifier.predict(X, batch_size=check_positive_int(batch_size, "batch_size"), verbose=0)
    return np.argmax(np.asarray(scores), axis=1)


def accuracy(classifier, X, y, batch_size: int = 1000) -> float:
    """Fraction of images X whose predicted class equals the integer label y (n,)."""
    y = np.asarray(y)
    if y.ndim != 1 or len(y) != len(X):
        raise ValueError(f"y must have shape ({len(X)},), got {y.shape}")
    return label_accuracy(predict_labels(classifier, X, batch_size), y)


def _model_input(images) -> np.ndarray:
    """(n, 28, 28[, 1]) uint8 images (divided by 255) or float pixels in [0, 1] -> (n, 28, 28, 1) float32;
    float pixels outside [0, MODEL_OUTPUT_MAX] (e.g. 0-255 floats) raise ValueError naming the fix."""
    images = as_model_input(images)
    return _checked_pixels(images, "images")


def classifier_logits(model, images, batch_size: int = 1000) -> np.ndarray:
    """(n, 28, 28[, 1]) images, uint8 or float in [0, 1] -> (n, num_classes) float32 logits."""
    return np.asarray(model.predict(_model_input(images), batch_size=batch_size, verbose=0))


def probabilities_from_logits(logits) -> np.ndarray:
    """(n, num_classes) logits -> float32 softmax probabilities (computed in float64; rows sum to 1)."""
    return softmax(np.asarray(logits, dtype=np.float64)).astype(np.float32)


def classifier_probabilities(model, images, batch_size: int = 1000) -> np.ndarray:
    """(n, 28, 28[, 1]) images -> (n, num_classes) float32 softmax probabilities (rows sum to 1)."""
    return probabilities_from_logits(classifier_logits(model, images, batch_size))


def classifier_features(model, images, batch_size: int = 1000) -> np.ndarray:
    """(n, 28, 28[, 1]) images -> (n, d) float32 penultimate activations (d = 128 for both CNNs here).

    These features are what e.g. a Fréchet-style distance between real and generated digits compares.
    """
    return np.asarray(penultimate_model(model).predict(_model_input(images), batch_size=batch_size, verbose=0))


def confusion_matrix(y_true, y_pred, num_classes: int) -> np.ndarray:
    """C (num_classes, num_classes) int64 with C[i, j] = number of examples of class i predicted as j."""
    num_classes = check_positive_int(num_classes, "num_classes")
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    if y_true.shape != y_pred.shape or y_true.ndim != 1:
        raise ValueError(f"y_true and y_pred must be 1-D with the same shape, got {y_true.shape} and {y_pred.shape}")
    for name, y in (("y_true", y_true), ("y_pred", y_pred)):
        if not np.issubdtype(y.dtype, np.integer) or (y.size and (y.min() < 0 or y.max() >= num_classes)):
            raise ValueError(f"{name} must hold integer labels in [0, {num_classes})")
    C = np.zeros((num_classes, num_classes), dtype=np.int64)
    np.add.at(C, (y_true, y_pred), 1)
    return C


def most_confused(C, k: int = 5, class_names=None) -> list[tuple]:
    """The k largest off-diagonal cells of a confusion matrix: ``[(true, predicted, count), ...]``,
    with class names instead of indices when ``class_names`` is given."""
    C = np.asarray(C)
    off = C.astype(np.int64).copy()
    np.fill_diagonal(off, -1)
    order = np.argsort(off, axis=None)[::-1][: check_positive_int(k, "k")]
    pairs = [np.unravel_index(i, C.shape) for i in order]
    name = (lambda i: class_names[i]) if class_names is not None else int
    return [(name(i), name(j), int(C[i, j])) for i, j in pairs]


def precision_recall(C) -> tuple[np.ndarray, np.ndarray]:
    """Per-class precision and recall from a confusion matrix C (k, k), C[i, j] = true i predicted as j.

    precision_j = TP / (TP + FP) = C[j, j] / (column j's sum): of the images called j, the share that are j.
    recall_i = TP / (TP + FN) = C[i, i] / (row i's sum): of the images of class i, the share called i.
    Returns two float64 arrays (k,); a class never predicted (or never present) gets NaN there.
    """
    C = np.asarray(C)
    if C.ndim != 2 or C.shape[0] != C.shape[1] or not np.issubdtype(C.dtype, np.integer) or (C < 0).any():
        raise ValueError(f"C must be a square matrix of non-negative integer counts, got shape {C.shape}")
    true_positives = np.diag(C).astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        precision = true_positives / C.sum(axis=0)
        recall = true_positives / C.sum(axis=1)
    return precision, recall
