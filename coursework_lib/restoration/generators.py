"""The generators whose range is the prior of chapter 8 (NumPy; TensorFlow only for ``tf_forward``).

Chapter 8's source is a course report, "Restore images using GANs"; "source" in a name means "as that
report wrote it". Two generators live here.

* ``SourceGenerator``: the source's generator of eights, written exactly as the source wrote it
  (column vectors, weights ``A_1`` 128x10, ``B_1`` 128x1, ``A_2`` 784x128, ``B_2`` 784x1)::

      W1 = A1 Z + B1,   Z1 = max(W1, 0),   W2 = A2 Z1 + B2,   X = 1 / (1 + exp(W2))

  Note the sign of the output layer: ``X = sigmoid(-W2)`` (:func:`sigmoid_of_negative`). It is loaded
  from a MATLAB ``.mat`` file with ``scipy.io.loadmat``, as in the source.
* ``DenseGenerator``: a ReLU MLP with a sigmoid output on row batches; the generator of all ten digits
  (latent dimension 20) shipped as ``weights/digits_generator.npz``.

Both were trained as VAE decoders (:func:`coursework_lib.training.vae_decoders.train_vae_decoder`, run
by ``scripts/train_eights_generator.py`` and ``scripts/train_digits_generator.py``). The inversion maths
of the chapter does not care how the weights were found.

Pixel order: a 784-vector is a 28x28 image in **column-major** (MATLAB/Fortran) order, the convention
of the source's files (the source plots ``X.reshape(28, 28).T``). ``to_image`` and ``to_vector``
convert. So "the first N pixels" are the leftmost ``N / 28`` columns of the picture.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from coursework_lib.core.paths import project_root
from coursework_lib.core.validation import as_float_array, check_positive_int

NUM_PIXELS = 784


# ----------------------------------------------------------------------------------------------------
# pixel order
def to_image(X) -> np.ndarray:
    """Column-major vectors of square images -> images, as MATLAB stores them.

    X: (p,) or (p, n) (columns) with p = s * s pixels (784 for 28x28, 49 for the 7x7 observations)
    -> (s, s) or (n, s, s).
    """
    X = np.asarray(X)
    side = int(round(np.sqrt(X.shape[0]))) if X.ndim in (1, 2) and X.shape[0] else 0
    if X.ndim not in (1, 2) or side * side != X.shape[0]:
        raise ValueError(f"X must have shape (p,) or (p, n) with p = s * s pixels (784, 49, ...), got {X.shape}")
    if X.ndim == 1:
        return X.reshape(side, side).T
    return X.T.reshape(-1, side, side).transpose(0, 2, 1)


def to_vector(images) -> np.ndarray:
    """Images -> column-major vectors. images: (28, 28) -> (784,); (n, 28, 28) -> (784, n) columns."""
    images = np.asarray(images)
    if images.shape == (28, 28):
        return images.T.reshape(NUM_PIXELS)
    if images.ndim != 3 or images.shape[1:] != (28, 28):
        raise ValueError(f"images must have shape (28, 28) or (n, 28, 28), got {images.shape}")
    return images.transpose(0, 2, 1).reshape(len(images), NUM_PIXELS).T


# ----------------------------------------------------------------------------------------------------
# the source's generator of eights
def sigmoid_of_negative(x):
    """f2(x) = sigmoid(-x) = 1 / (1 + exp(x)), the source's output non-linearity, without overflow.

    x: array of any shape -> float64 array of that shape, in (0, 1).
    """
    x = np.asarray(x, dtype=np.float64)
    return np.exp(-np.logaddexp(0.0, x))


def sigmoid_of_negative_derivative(x):
    """f2'(x) = -exp(x) / (1 + exp(x))^2 = -f2(x) (1 - f2(x)), without overflow.

    x: array of any shape -> float64 array of that shape, in [-1/4, 0).
    """
    f = sigmoid_of_negative(x)
    return -f * (1.0 - f)


@dataclass(frozen=True)
class SourceGenerator:
    """The source's generator, column convention, X = sigmoid(-W2).

    A1: (hidden, latent), B1: (hidden, 1), A2: (784, hidden), B2: (784, 1), float64 (the eights
    generator: hidden 128, latent 10).
    """

    A1: np.ndarray
    B1: np.ndarray
    A2: np.ndarray
    B2: np.ndarray

    def __post_init__(self):
        A1 = as_float_array(self.A1, "A1", ndim=2, dtype=np.float64)
        hidden, latent = A1.shape
        object.__setattr__(self, "A1", A1)
        object.__setattr__(self, "B1", as_float_array(self.B1, "B1", dtype=np.float64).reshape(-1, 1))
        object.__setattr__(self, "A2", as_float_array(self.A2, "A2", shape=(None, hidden), dtype=np.float64))
        object.__setattr__(self, "B2", as_float_array(self.B2, "B2", dtype=np.float64).reshape(-1, 1))
        if self.B1.shape != (hidden, 1):
            raise ValueError(f"B1 must have shape ({hidden}, 1), got {self.B1.shape}")
        if self.B2.shape != (self.A2.shape[0], 1):
            raise ValueError(f"B2 must have shape ({self.A2.shape[0]}, 1), got {self.B2.shape}")

    @property
    def latent_dim(self) -> int:
        return self.A1.shape[1]

    @property
    def output_dim(self) -> int:
        return self.A2.shape[0]

    def check_latent(self, Z, name: str = "Z") -> np.ndarray:
        """Z as a float64 column block: (latent,) -> (latent, 1); (latent, n) stays."""
        Z = as_float_array(Z, name, ndim=(1, 2), dtype=np.float64)
        if Z.shape[0] != self.latent_dim:
            raise ValueError(f"{name} must have shape ({self.latent_dim},) or ({self.latent_dim}, n), got {Z.shape}")
        return Z.reshape(self.latent_dim, -1)

    def forward(self, Z) -> dict:
        """All intermediate quantities for Z: (10,) or (10, n). Returns W1, Z1 (128, n), W2, X (784, n)."""
        Z = self.check_latent(Z)
        W1 = self.A1 @ Z + self.B1
        Z1 = np.maximum(W1, 0.0)
        W2 = self.A2 @ Z1 + self.B2
        return {"Z": Z, "W1": W1, "Z1": Z1, "W2": W2, "X": sigmoid_of_negative(W2)}

    def __call__(self, Z) -> np.ndarray:
        """X = G(Z). Z: (10,) -> (784,); (10, n) -> (784, n) columns, float64 in (0, 1)."""
        X = self.forward(Z)["X"]
        return X[:, 0] if np.ndim(Z) == 1 else X

    def sample(self, n: int, seed=None) -> np.ndarray:
        """n images from n independent Z ~ N(0, I): (784, n)."""
        n = check_positive_int(n, "n")
        rng = np.random.default_rng(seed)
        return self(rng.standard_normal((self.latent_dim, n)))

    def to_tf_layers(self):
        """The same generator as TensorFlow constants for row-batched latents (batch, 10) -> (batch, 784)."""
        import tensorflow as tf

        return (
            tf.constant(self.A1.T, tf.float32),
            tf.constant(self.B1[:, 0], tf.float32),
            tf.constant(self.A2.T, tf.float32),
            tf.constant(self.B2[:, 0], tf.float32),
        )

    def tf_forward(self, z):
        """TensorFlow forward pass on row batches. z: (batch, 10) float -> (batch, 784)."""
        import tensorflow as tf

        A1t, B1, A2t, B2 = self.to_tf_layers()
        z = tf.cast(z, tf.float32)
        return tf.sigmoid(-(tf.nn.relu(z @ A1t + B1) @ A2t + B2))

    def save_mat(self, path) -> Path:
        """Write ``A_1, A_2, B_1, B_2`` to a MATLAB file (the source's layout)."""
        from scipy.io import savemat

        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        savemat(path, {"A_1": self.A1, "A_2": self.A2, "B_1": self.B1, "B_2": self.B2})
        return path


def load_generator_mat(path) -> SourceGenerator:
    """Read a generator written in the source's layout (``A_1, A_2, B_1, B_2``) with scipy.io.loadmat."""
    from scipy.io import loadmat

    data = loadmat(path)
    missing = [key for key in ("A_1", "A_2", "B_1", "B_2") if key not in data]
    if missing:
        raise ValueError(f"{path} lacks the variables {missing}")
    return SourceGenerator(data["A_1"], data["B_1"], data["A_2"], data["B_2"])


# ----------------------------------------------------------------------------------------------------
# all ten digits: a dense decoder stored as a list of (W, b) in row-batch convention
@dataclass(frozen=True)
class DenseGenerator:
    """A ReLU MLP with a sigmoid output, row batches: z (batch, latent) -> X (batch, 784) in (0, 1).

    weights: list of (W (d_in, d_out), b (d_out,)) float32.
    """

    weights: tuple

    @property
    def latent_dim(self) -> int:
        return self.weights[0][0].shape[0]

    def numpy_forward(self, z) -> np.ndarray:
        """z: (batch, latent) -> (batch, 784) float32 (NumPy)."""
        A = as_float_array(z, "z", shape=(None, self.latent_dim), dtype=np.float32)
        for i, (W, b) in enumerate(self.weights):
            A = A @ W + b
            if i < len(self.weights) - 1:
                A = np.maximum(A, 0.0)
        return np.exp(-np.logaddexp(0.0, -A)).astype(np.float32)

    def tf_weights(self):
        """The layers as a list of (W, b) float32 TensorFlow constants."""
        import tensorflow as tf

        return [(tf.constant(W, tf.float32), tf.constant(b, tf.float32)) for W, b in self.weights]

    def tf_forward(self, z, tf_weights=None):
        """TensorFlow forward pass. z: (batch, latent) -> (batch, 784) float32."""
        import tensorflow as tf

        A = tf.cast(z, tf.float32)
        layers = tf_weights if tf_weights is not None else self.tf_weights()
        for i, (W, b) in enumerate(layers):
            A = A @ W + b
            if i < len(layers) - 1:
                A = tf.nn.relu(A)
        return tf.sigmoid(A)

    def save_npz(self, path, dtype=np.float16) -> Path:
        """Write the layers as W0, b0, W1, b1, ... (``dtype``, float16 by default) to a compressed .npz."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        arrays = {}
        for i, (W, b) in enumerate(self.weights):
            arrays[f"W{i}"], arrays[f"b{i}"] = W.astype(dtype), b.astype(dtype)
        np.savez_compressed(path, **arrays)
        return path


def load_dense_generator(path) -> DenseGenerator:
    """Load a DenseGenerator saved by ``save_npz`` (weights come back as float32)."""
    with np.load(path) as data:
        count = len([k for k in data.files if k.startswith("W")])
        weights = tuple((data[f"W{i}"].astype(np.float32), data[f"b{i}"].astype(np.float32)) for i in range(count))
    return DenseGenerator(weights)


def default_paths() -> dict:
    """Where the chapter's shipped files live, under the project root: a dict of name -> Path."""
    root = project_root()
    return {
        "eights_generator": root / "data" / "eights" / "data21.mat",
        "eights_test": root / "data" / "eights" / "data22.mat",
        "eights_test_sr": root / "data" / "eights" / "test_images_sr.mat",
        "digits_generator": root / "weights" / "digits_generator.npz",
    }


def load_digits_generator(path=None) -> DenseGenerator:
    """The shipped all-digits generator (``weights/digits_generator.npz``)."""
    return load_dense_generator(path or default_paths()["digits_generator"])


def source_generator_from_decoder(decoder: DenseGenerator) -> SourceGenerator:
    """Express a one-hidden-layer sigmoid decoder in the source's convention.

    The decoder computes sigmoid(h W2 + b2) = 1 / (1 + exp(-(h W2 + b2))), so the source's W2 is the
    negated logit: A2 = -W2.T, B2 = -b2; A1 = W1.T, B1 = b1.
    """
    if len(decoder.weights) != 2:
        raise ValueError("decoder must have exactly one hidden layer to match the source's generator")
    (W1, b1), (W2, b2) = decoder.weights
    return SourceGenerator(
        W1.T.astype(np.float64),
        b1[:, None].astype(np.float64),
        -W2.T.astype(np.float64),
        -b2[:, None].astype(np.float64),
    )


def as_dense_generator(G) -> DenseGenerator:
    """A SourceGenerator (column convention, X = sigmoid(-W2)) as a row-batch DenseGenerator.

    The inverse of :func:`source_generator_from_decoder`: W1 = A1.T, b1 = B1, W2 = -A2.T, b2 = -B2, as
    float32. A DenseGenerator is returned as it is.
    """
    if isinstance(G, DenseGenerator):
        return G
    if isinstance(G, SourceGenerator):
        return DenseGenerator(
            (
                (G.A1.T.astype(np.float32), G.B1[:, 0].astype(np.float32)),
                ((-G.A2.T).astype(np.float32), (-G.B2[:, 0]).astype(np.float32)),
            )
        )
    raise TypeError(f"G must be a SourceGenerator or DenseGenerator, got {type(G).__name__}")
