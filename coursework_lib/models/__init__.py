"""Layer 3, models: every model builder (Keras classifiers, autoencoders, VAEs, GANs) and running a built
model on arrays. Imports ``core`` and ``maths``."""
