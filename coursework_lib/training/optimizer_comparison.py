"""Chapter 4's Keras experiment: the source CNN trained with Adam, SGD and SGD + momentum.

``make_keras_optimizer(name)`` builds the three optimizers with the hyper-parameters the chapter uses;
``train_cnn_with_optimizer`` trains ``models.build_source_cnn()`` and returns the per-epoch accuracies.
``scripts/train_optimizer_comparison.py`` runs the full comparison and writes a small JSON log that the
notebook reads with ``core.artifacts.read_json_artifact(COMPARISON_LOG, "make weights-optimizers")``.
"""

from __future__ import annotations

import time

import numpy as np

from coursework_lib.core.validation import check_choice, check_positive_int

# The chapter's settings: Keras' defaults for Adam and SGD, and the usual 0.9 for momentum.
KERAS_OPTIMIZER_SETTINGS = {
    "adam": {"class": "Adam", "learning_rate": 1e-3},
    "sgd": {"class": "SGD", "learning_rate": 1e-2},
    "sgd_momentum": {"class": "SGD", "learning_rate": 1e-2, "momentum": 0.9},
}

COMPARISON_LOG = "optimizer_comparison.json"  # under weights/, read with core.artifacts.read_json_artifact


def make_keras_optimizer(name: str):
    """A fresh ``keras.optimizers`` instance for ``name`` in ``KERAS_OPTIMIZER_SETTINGS``.

    Always pass ``learning_rate=``: Keras 3 rejects the old ``lr=`` keyword with a ValueError.
    """
    import keras

    check_choice(name, "name", KERAS_OPTIMIZER_SETTINGS)
    settings = dict(KERAS_OPTIMIZER_SETTINGS[name])
    cls = getattr(keras.optimizers, settings.pop("class"))
    return cls(**settings)


# NumPy optimizer name -> (keras.optimizers class, how our hyper-parameter names map to Keras' names)
KERAS_EQUIVALENTS = {
    "gd": ("SGD", {}),
    "momentum": ("SGD", {}),
    "nesterov": ("SGD", {"nesterov": True}),
    "rmsprop": ("RMSprop", {}),
    "adam": ("Adam", {}),
}


def keras_equivalent(name: str, **hyper):
    """The ``keras.optimizers`` instance that should follow the same iterates as our optimizer ``name``
    with hyper-parameters ``hyper`` (``lr`` becomes ``learning_rate``)."""
    import keras

    check_choice(name, "name", KERAS_EQUIVALENTS)
    cls, extra = KERAS_EQUIVALENTS[name]
    kwargs = {("learning_rate" if k == "lr" else k): v for k, v in hyper.items() if k != "textbook_epsilon"}
    return getattr(keras.optimizers, cls)(**kwargs, **extra)


def keras_trajectory(keras_optimizer, grad_fn, x0, num_steps: int) -> np.ndarray:
    """Iterates of a Keras optimizer on a float64 ``keras.Variable`` started at ``x0`` (d,).

    grad_fn: ``x -> gradient`` in NumPy, evaluated at Keras' own current iterate each step.
    Returns (num_steps + 1, d) float64. (The unit tests use ``tf.GradientTape`` gradients instead.)
    """
    import keras
    import tensorflow as tf

    var = keras.Variable(np.asarray(x0, dtype=np.float64), dtype="float64")
    path = [var.numpy().copy()]
    for _ in range(check_positive_int(num_steps, "num_steps")):
        # a float64 tensor: a bare NumPy array would be converted to float32 on the way in
        grad = tf.constant(np.asarray(grad_fn(var.numpy()), dtype=np.float64), dtype=tf.float64)
        keras_optimizer.apply_gradients([(grad, var)])
        path.append(var.numpy().copy())
    return np.array(path)


def legacy_lr_keyword_error(lr: float = 0.1) -> str:
    """What Keras 3 says when an optimizer is given the Keras-2 keyword ``lr=`` (the error text)."""
    import keras

    try:
        keras.optimizers.SGD(lr=lr)
    except (ValueError, TypeError) as error:
        return f"{type(error).__name__}: {error}"
    return "no error: this Keras version still accepts lr="


def prepare_mnist(num_train: int | None = None, num_test: int | None = None, seed: int = 0):
    """MNIST as float32 in [0, 1] with a channel axis: ``(x_train, y_train), (x_test, y_test)``,
    x (n, 28, 28, 1) float32, y (n,) uint8. ``num_train``/``num_test`` take a random (seeded) subset
    drawn without replacement; ``None`` keeps every example."""
    from coursework_lib.core.data import load_mnist, to_unit_float

    (x_train, y_train), (x_test, y_test) = load_mnist()
    rng = np.random.default_rng(seed)
    if num_train is not None:
        idx = rng.choice(len(x_train), size=check_positive_int(num_train, "num_train"), replace=False)
        x_train, y_train = x_train[idx], y_train[idx]
    if num_test is not None:
        idx = rng.choice(len(x_test), size=check_positive_int(num_test, "num_test"), replace=False)
        x_test, y_test = x_test[idx], y_test[idx]
    return ((to_unit_float(x_train)[..., None], y_train), (to_unit_float(x_test)[..., None], y_test))


def train_cnn_with_optimizer(
    name: str, train, test, *, num_epochs: int = 3, batch_size: int = 64, seed: int = 0, verbose: int = 2
) -> dict:
    """Train a fresh ``build_source_cnn()`` with optimizer ``name`` and return its history.

    train, test: ``(x, y)`` pairs from :func:`prepare_mnist`. Every optimizer starts from the same
    initial weights (same ``seed``) and sees the batches in the same order.
    Returns ``{"optimizer", "settings", "train_accuracy": [...], "test_accuracy": [...],
    "test_loss": [...], "seconds": float}``; the lists have one entry per epoch.
    """
    import keras

    from coursework_lib.models.classifiers import build_source_cnn

    num_epochs = check_positive_int(num_epochs, "num_epochs")
    batch_size = check_positive_int(batch_size, "batch_size")
    keras.utils.set_random_seed(seed)
    model = build_source_cnn()
    model.compile(
        optimizer=make_keras_optimizer(name),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    start = time.perf_counter()
    history = model.fit(
        *train, batch_size=batch_size, epochs=num_epochs, validation_data=test, shuffle=True, verbose=verbose
    )
    seconds = time.perf_counter() - start
    settings = {k: v for k, v in KERAS_OPTIMIZER_SETTINGS[name].items()}
    return {
        "optimizer": name,
        "settings": settings,
        "train_accuracy": [float(a) for a in history.history["accuracy"]],
        "test_accuracy": [float(a) for a in history.history["val_accuracy"]],
        "test_loss": [float(a) for a in history.history["val_loss"]],
        "num_train": int(len(train[1])),
        "num_test": int(len(test[1])),
        "num_epochs": num_epochs,
        "batch_size": batch_size,
        "seconds": float(seconds),
    }
