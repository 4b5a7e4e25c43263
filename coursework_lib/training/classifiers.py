"""Training the book's MNIST judge: the source CNN on all 60 000 training digits, cached in ``weights/``."""

from __future__ import annotations

from coursework_lib.core.data import load_mnist
from coursework_lib.core.images import as_model_input
from coursework_lib.core.paths import weights_dir
from coursework_lib.core.validation import check_positive_int
from coursework_lib.models.classifiers import (
    MNIST_CLASSIFIER_FILE,
    SOURCE_CNN_EPOCHS,
    build_source_cnn,
    compile_classifier,
    load_weights_model,
)


def train_source_mnist_classifier(epochs: int = SOURCE_CNN_EPOCHS, seed: int = 0, verbose: int = 2):
    """Train the source CNN on all 60 000 MNIST training images; returns the compiled model."""
    import keras

    keras.utils.set_random_seed(seed)
    (x_train, y_train), _ = load_mnist()
    model = compile_classifier(build_source_cnn())
    model.fit(
        as_model_input(x_train), y_train, epochs=check_positive_int(epochs, "epochs"), batch_size=128, verbose=verbose
    )
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
