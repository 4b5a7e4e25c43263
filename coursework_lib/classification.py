"""Evaluating classifiers: accuracy, confusion matrices, the most-confused pairs, saved training runs."""

from __future__ import annotations

import json

import numpy as np

from .validation import check_positive_int


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
    order = np.argsort(off, axis=None)[::-1][:check_positive_int(k, "k")]
    pairs = [np.unravel_index(i, C.shape) for i in order]
    name = (lambda i: class_names[i]) if class_names is not None else int
    return [(name(i), name(j), int(C[i, j])) for i, j in pairs]


def predict_classes(model, X, batch_size: int = 1000) -> np.ndarray:
    """argmax of a Keras classifier's outputs, (n,) int64."""
    return np.asarray(model.predict(X, batch_size=batch_size, verbose=0)).argmax(axis=1)


def test_accuracy(model, X, y, batch_size: int = 1000) -> float:
    """Fraction of ``X`` a Keras classifier labels as ``y``."""
    return float(np.mean(predict_classes(model, X, batch_size) == np.asarray(y)))


test_accuracy.__test__ = False  # not a pytest test, despite its name


def load_run_record(filename: str) -> dict:
    """The JSON record ``scripts/train_cnn.py`` wrote next to ``weights/<filename>``."""
    from .models import weights_dir

    path = weights_dir() / (filename + ".json")
    if not path.is_file():
        raise FileNotFoundError(f"{path} does not exist; create it with `python scripts/train_cnn.py`")
    return json.loads(path.read_text())
