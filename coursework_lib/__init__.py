"""coursework_lib: the tested helpers imported by the notebooks of
*Deep learning for images, from the maths to GAN-prior image restoration*.

The package is laid out in layers; a module imports only from its own layer and the layers below it
(``import-linter`` checks this in the unit tests). From the bottom up:

- ``core``         validation, datasets, image arrays, noise, paths, artifacts, recording, environment
- ``maths``        NumPy from scratch: activations, MLP, convolution, optimizers, surfaces, measurements
- ``models``       every Keras (and NumPy generator) model builder
- ``evaluation``   every metric: accuracy, PSNR/SSIM, GAN scores, timing
- ``training``     training loops and runs that write ``weights/``
- ``restoration``  generators as priors, inversion, compressed sensing
- ``viz``          figures that draw given results
- ``widgets``      ipywidgets explorers (each has a static figure in ``viz``)
- ``course``       exercises and their checks, the student edition, the grader

See ARCHITECTURE.md for the picture and for how a new chapter adds its code.
"""

import os as _os

# Set before any submodule imports TensorFlow: its C++ start-up messages go to stderr, which the book
# build treats as an error and which would make notebook tests noisy. A user's own setting wins.
_os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

__version__ = "0.1.0"
