"""coursework_lib: the tested helpers imported by the notebooks of
*Deep learning for images, from the maths to GAN-prior image restoration*.

Modules (one per concept, importing downward only):

- ``validation``  argument checks shared by every module
- ``data``        offline MNIST / Fashion-MNIST loaders
- ``activations`` activation functions and their derivatives
- ``mlp``         NumPy dense layers, forward and backward propagation, SGD training
- ``conv``        NumPy convolution and max pooling, forward and backward
- ``models``      Keras model builders and the shared MNIST classifier
- ``classification`` evaluation helpers: accuracy, confusion matrix
- ``timing``      small timing helpers for the speed experiments
- ``book``        notebook setup and recording of headline results
- ``plotting``    figures used by the chapters
- ``widgets``     ipywidgets demos (each has a static twin in ``plotting``)
- ``exercises``   exercise specifications and their public checks
"""

import os as _os

# Set before any submodule imports TensorFlow: its C++ start-up messages go to stderr, which the book
# build treats as an error and which would make notebook tests noisy. A user's own setting wins.
_os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
_os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

__version__ = "0.1.0"
