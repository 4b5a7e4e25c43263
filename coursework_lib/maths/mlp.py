"""A multilayer perceptron in NumPy, written in the book's matrix notation (batch first).

A dense layer maps ``A_prev`` (n, d_in) to ``Z = A_prev @ W + b`` (n, d_out), then ``A = f(Z)``.
"""

from __future__ import annotations

import numpy as np

from coursework_lib.core.validation import as_float_array, check_finite_number, check_positive_int
from coursework_lib.maths.activations import get_activation, softmax


def dense_forward(A_prev, W, b):
    """Affine map of one layer.

    A_prev: (n, d_in), W: (d_in, d_out), b: (d_out,)  ->  Z: (n, d_out) = A_prev @ W + b.
    """
    A_prev = as_float_array(A_prev, "A_prev", ndim=2)
    W = as_float_array(W, "W", ndim=2)
    b = as_float_array(b, "b", ndim=1)
    if W.shape[0] != A_prev.shape[1]:
        raise ValueError(f"W must have shape ({A_prev.shape[1]}, d_out) to match A_prev {A_prev.shape}, got {W.shape}")
    if b.shape != (W.shape[1],):
        raise ValueError(f"b must have shape ({W.shape[1]},) to match W {W.shape}, got {b.shape}")
    return A_prev @ W + b


def init_mlp_params(layer_sizes, seed=0):
    """He-initialised weights for layer sizes [d_0, d_1, ..., d_L].

    Returns a list of L pairs ``(W_l (d_{l-1}, d_l), b_l (d_l,))``, float64.
    """
    sizes = [check_positive_int(s, "layer_sizes[i]") for s in layer_sizes]
    if len(sizes) < 2:
        raise ValueError(f"layer_sizes needs at least an input and an output size, got {layer_sizes!r}")
    rng = np.random.default_rng(seed)
    return [
        (rng.normal(0.0, np.sqrt(2.0 / d_in), size=(d_in, d_out)), np.zeros(d_out))
        for d_in, d_out in zip(sizes[:-1], sizes[1:])
    ]


def mlp_forward(X, params, hidden_activation: str = "relu", output: str = "softmax"):
    """Forward propagation through every layer.

    X: (n, d_0); params: list of (W_l, b_l). Hidden layers use ``hidden_activation``; the last
    layer applies ``output`` ("softmax", "linear", or any elementwise activation name).
    Returns the list of activations ``[A_0 = X, A_1, ..., A_L]``; ``A_L`` is the network's output.
    """
    A = as_float_array(X, "X", ndim=2)
    f, _ = get_activation(hidden_activation)
    activations = [A]
    for layer, (W, b) in enumerate(params):
        Z = dense_forward(A, W, b)
        if layer < len(params) - 1:
            A = f(Z)
        else:
            A = softmax(Z) if output == "softmax" else get_activation(output)[0](Z)
        activations.append(A)
    return activations


# ---------------------------------------------------------------------------------------------------
# Chapter 2: backpropagation. Shapes: X (n, d_0), Z_l and A_l (n, d_l), W_l (d_{l-1}, d_l), b_l (d_l,).
# ---------------------------------------------------------------------------------------------------


def dense_backward(dZ, A_prev, W):
    """Backward pass of ``Z = A_prev @ W + b``.

    dZ: (n, d_out) = dL/dZ, A_prev: (n, d_in), W: (d_in, d_out)  ->
    ``(dA_prev (n, d_in) = dZ @ W.T, dW (d_in, d_out) = A_prev.T @ dZ, db (d_out,) = dZ summed over n)``.
    """
    dZ = as_float_array(dZ, "dZ", ndim=2)
    A_prev = as_float_array(A_prev, "A_prev", ndim=2)
    W = as_float_array(W, "W", ndim=2)
    if A_prev.shape[0] != dZ.shape[0]:
        raise ValueError(f"A_prev must have shape ({dZ.shape[0]}, d_in) to match dZ {dZ.shape}, got {A_prev.shape}")
    if W.shape != (A_prev.shape[1], dZ.shape[1]):
        raise ValueError(f"W must have shape ({A_prev.shape[1]}, {dZ.shape[1]}) to match A_prev and dZ, got {W.shape}")
    return dZ @ W.T, A_prev.T @ dZ, dZ.sum(axis=0)


def check_labels(y, n: int, num_classes: int) -> np.ndarray:
    """Integer class labels y (n,) in [0, num_classes) -> int64 array; raise naming ``y`` otherwise."""
    y = np.asarray(y)
    if y.shape != (n,):
        raise ValueError(f"y must have shape ({n},) to match the batch, got {y.shape}")
    if not np.issubdtype(y.dtype, np.integer):
        raise TypeError(f"y must hold integer class labels, got dtype {y.dtype}")
    if y.size and (y.min() < 0 or y.max() >= num_classes):
        raise ValueError(f"y must hold labels in [0, {num_classes}), got values in [{y.min()}, {y.max()}]")
    return y.astype(np.int64)


def one_hot(y, num_classes: int) -> np.ndarray:
    """Labels y (n,) int -> Y (n, num_classes) float64 with Y[i, y_i] = 1."""
    num_classes = check_positive_int(num_classes, "num_classes")
    y = np.asarray(y)
    if y.ndim != 1:
        raise ValueError(f"y must have shape (n,), got {y.shape}")
    y = check_labels(y, y.shape[0], num_classes)
    Y = np.zeros((y.shape[0], num_classes))
    Y[np.arange(y.shape[0]), y] = 1.0
    return Y


def log_softmax(Z):
    """Z (n, k) logits -> (n, k) log-probabilities ``Z - logsumexp(Z)``, stable for large |Z|."""
    Z = as_float_array(Z, "Z", ndim=2)
    shifted = Z - Z.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def softmax_cross_entropy(Z, y) -> float:
    """Mean cross-entropy of softmax(Z) against integer labels: ``-(1/n) sum_i log softmax(Z_i)[y_i]``.

    Z: (n, k) logits, y: (n,) int labels in [0, k). Returns a Python float.
    """
    Z = as_float_array(Z, "Z", ndim=2)
    y = check_labels(y, Z.shape[0], Z.shape[1])
    return float(-log_softmax(Z)[np.arange(Z.shape[0]), y].mean())


def softmax_cross_entropy_gradient(Z, y) -> np.ndarray:
    """dL/dZ of :func:`softmax_cross_entropy`: ``(softmax(Z) - one_hot(y)) / n``, shape (n, k)."""
    Z = as_float_array(Z, "Z", ndim=2)
    y = check_labels(y, Z.shape[0], Z.shape[1])
    dZ = softmax(Z)
    dZ[np.arange(Z.shape[0]), y] -= 1.0
    return dZ / Z.shape[0]


def mlp_logits(X, params, hidden_activation: str = "relu"):
    """Forward pass keeping what backprop needs.

    Returns ``(Zs, As)``: pre-activations ``[Z_1, ..., Z_L]`` (Z_L are the logits, (n, k)) and
    activations ``[A_0 = X, ..., A_{L-1}]`` (the inputs of each dense layer).
    """
    A = as_float_array(X, "X", ndim=2)
    f, _ = get_activation(hidden_activation)
    Zs, As = [], [A]
    for layer, (W, b) in enumerate(params):
        Z = dense_forward(A, W, b)
        Zs.append(Z)
        if layer < len(params) - 1:
            A = f(Z)
            As.append(A)
    return Zs, As


def mlp_loss_and_gradients(X, y, params, hidden_activation: str = "relu"):
    """Loss and gradients of an MLP with softmax cross-entropy output, by backpropagation.

    X: (n, d_0), y: (n,) int labels, params: list of (W_l, b_l).
    Returns ``(loss: float, grads: list of (dW_l, db_l) with the shapes of params)``.
    """
    _, f_prime = get_activation(hidden_activation)
    Zs, As = mlp_logits(X, params, hidden_activation)
    loss = softmax_cross_entropy(Zs[-1], y)
    dZ = softmax_cross_entropy_gradient(Zs[-1], y)
    grads = [None] * len(params)
    for layer in range(len(params) - 1, -1, -1):
        dA_prev, dW, db = dense_backward(dZ, As[layer], params[layer][0])
        grads[layer] = (dW, db)
        if layer > 0:
            dZ = dA_prev * f_prime(Zs[layer - 1])  # chain rule through the activation, elementwise
    return loss, grads


def sgd_step(params, grads, lr: float):
    """One step of gradient descent: ``W <- W - lr dW``, ``b <- b - lr db``; returns new params."""
    lr = check_finite_number(lr, "lr", positive=True)
    if len(params) != len(grads):
        raise ValueError(f"grads must have one (dW, db) pair per layer ({len(params)}), got {len(grads)}")
    return [(W - lr * dW, b - lr * db) for (W, b), (dW, db) in zip(params, grads)]


# Unchecked ReLU for the training loop (the public relu validates its input at every call).
_FAST = {"relu": (lambda Z: np.maximum(Z, 0), lambda Z: (Z > 0).astype(Z.dtype))}


def mlp_predict(X, params, hidden_activation: str = "relu", batch_size: int = 10000) -> np.ndarray:
    """Predicted class (n,) int64 = argmax of the logits."""
    X = as_float_array(X, "X", ndim=2)
    out = [
        np.argmax(mlp_logits(X[i : i + batch_size], params, hidden_activation)[0][-1], axis=1)
        for i in range(0, len(X), batch_size)
    ]
    return np.concatenate(out)


def accuracy(y_pred, y_true) -> float:
    """Fraction of equal labels."""
    y_pred, y_true = np.asarray(y_pred), np.asarray(y_true)
    if y_pred.shape != y_true.shape or y_pred.ndim != 1:
        raise ValueError(f"y_pred and y_true must be 1-D with the same shape, got {y_pred.shape} and {y_true.shape}")
    return float(np.mean(y_pred == y_true))


def train_mlp(
    X,
    y,
    layer_sizes,
    *,
    lr: float = 0.1,
    num_epochs: int = 10,
    batch_size: int = 64,
    hidden_activation: str = "relu",
    X_val=None,
    y_val=None,
    seed: int = 0,
    dtype=np.float32,
    verbose: bool = True,
):
    """Mini-batch SGD on softmax cross-entropy, from He-initialised weights.

    X: (n, d_0) float in [0, 1], y: (n,) int labels; layer_sizes [d_0, ..., k]. Each epoch visits the
    examples in a fresh random order (``seed``). Computation runs in ``dtype`` (float32: twice as fast).
    BLAS runs on one thread: for mini-batch-sized products, extra threads mostly wait for each other
    (on a shared 2-core machine they made training 20 times more expensive in CPU time).
    Returns ``(params, history)`` with history lists per epoch: ``loss`` and ``train_accuracy`` (averaged
    over the epoch's mini-batches, measured while the weights move) and, if validation data are given, ``val_accuracy``.
    """
    X = as_float_array(X, "X", ndim=2, dtype=dtype)
    y = check_labels(y, X.shape[0], layer_sizes[-1])
    num_epochs = check_positive_int(num_epochs, "num_epochs")
    batch_size = check_positive_int(batch_size, "batch_size")
    if layer_sizes[0] != X.shape[1]:
        raise ValueError(f"layer_sizes[0] must equal X.shape[1] = {X.shape[1]}, got {layer_sizes[0]}")
    rng = np.random.default_rng(seed)
    params = [(W.astype(dtype), b.astype(dtype)) for W, b in init_mlp_params(layer_sizes, seed=seed)]
    f, f_prime = get_activation(hidden_activation)
    f, f_prime = _FAST.get(hidden_activation, (f, f_prime))
    history = {"loss": [], "train_accuracy": []}
    if X_val is not None:
        history["val_accuracy"] = []
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):
        _sgd_epochs(
            X,
            y,
            params,
            f,
            f_prime,
            dtype(lr),
            num_epochs,
            batch_size,
            rng,
            history,
            hidden_activation,
            X_val,
            y_val,
            verbose,
        )
    return params, history


def _sgd_epochs(
    X, y, params, f, f_prime, lr_typed, num_epochs, batch_size, rng, history, hidden_activation, X_val, y_val, verbose
):
    """The loop of :func:`train_mlp`; updates ``params`` (a list) and ``history`` in place."""
    for epoch in range(num_epochs):
        order = rng.permutation(len(X))
        loss_sum, correct = 0.0, 0
        for start in range(0, len(X), batch_size):
            batch = order[start : start + batch_size]
            # The same maths as mlp_loss_and_gradients, without the per-call argument checks.
            As, Zs = [X[batch]], []
            for layer, (W, b) in enumerate(params):
                Zs.append(As[-1] @ W + b)
                if layer < len(params) - 1:
                    As.append(f(Zs[-1]))
            logits, yb = Zs[-1], y[batch]
            log_p = logits - logits.max(axis=1, keepdims=True)
            log_p -= np.log(np.exp(log_p).sum(axis=1, keepdims=True))
            loss_sum += -log_p[np.arange(len(batch)), yb].sum()
            correct += int((logits.argmax(axis=1) == yb).sum())
            dZ = np.exp(log_p)
            dZ[np.arange(len(batch)), yb] -= 1.0
            dZ /= len(batch)
            for layer in range(len(params) - 1, -1, -1):
                W, b = params[layer]
                dW, db = As[layer].T @ dZ, dZ.sum(axis=0)
                if layer > 0:  # no gradient is needed with respect to the input X
                    dZ = (dZ @ W.T) * f_prime(Zs[layer - 1])
                params[layer] = (W - lr_typed * dW, b - lr_typed * db)
        history["loss"].append(float(loss_sum / len(X)))
        history["train_accuracy"].append(correct / len(X))
        line = (
            f"epoch {epoch + 1}/{num_epochs}: loss {history['loss'][-1]:.4f}, "
            f"train accuracy {history['train_accuracy'][-1]:.4f}"
        )
        if X_val is not None:
            history["val_accuracy"].append(accuracy(mlp_predict(X_val, params, hidden_activation), y_val))
            line += f", validation accuracy {history['val_accuracy'][-1]:.4f}"
        if verbose:
            print(line, flush=True)


def numerical_gradient(f, x, eps: float = 1e-6) -> np.ndarray:
    """Central finite differences: ``g_i = (f(x + eps e_i) - f(x - eps e_i)) / (2 eps)``.

    f: function of one float64 array returning a float; x: array of any shape (not modified).
    Cost: 2 x.size calls of f. Truncation error O(eps^2).
    """
    x = np.array(as_float_array(x, "x"), dtype=np.float64, copy=True)
    eps = check_finite_number(eps, "eps", positive=True)
    grad = np.zeros_like(x)
    flat, g = x.reshape(-1), grad.reshape(-1)
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + eps
        f_plus = f(x)
        flat[i] = old - eps
        f_minus = f(x)
        flat[i] = old
        g[i] = (f_plus - f_minus) / (2.0 * eps)
    return grad


def relative_error(a, b) -> float:
    """``||a - b|| / (||a|| + ||b||)`` (Euclidean norms; 0 if both are zero), as used for gradient checks.

    About 1e-7 or less: the analytic gradient is right; 1e-2 or more: it is wrong.
    """
    a = as_float_array(a, "a")
    b = as_float_array(b, "b", shape=a.shape)
    denominator = np.linalg.norm(a) + np.linalg.norm(b)
    return 0.0 if denominator == 0 else float(np.linalg.norm(a - b) / denominator)
