"""Layer 5, training: training steps and runs that write ``weights/`` (and the MNIST judge, trained if missing).
Training loops may score themselves with ``evaluation``."""
