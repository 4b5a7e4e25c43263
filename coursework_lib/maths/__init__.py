"""Layer 2, maths: the book's from-scratch NumPy (activations, MLP, convolution, optimizers, test surfaces,
measurement operators, clustering, latent paths, GAN and VAE theory). Imports only ``core``."""
