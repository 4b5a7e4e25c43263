"""Layer 6, restoration: generators used as priors, their inversion, and compressed sensing.

Inside the layer, imports go one way, bottom to top:

- ``generators``        the source's generator of eights and the all-digits generator (NumPy), pixel order
- ``source_inversion``  the source's cost, its hand-derived gradient and loop; gradient descent / Adam on z
- ``batched_inversion`` ``invert_batch``: images x restarts in one TensorFlow graph
- ``compressed_sensing`` Lasso and the generator on Gaussian measurements, the sweep against m
- ``restore``           the front end: degrade, then restore with the generator or a baseline
- ``throughput``        flops and image-iterations per second of the three inversions
"""
