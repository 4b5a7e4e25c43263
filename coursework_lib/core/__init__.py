"""Layer 1, core: argument checks, datasets, image arrays, noise, paths, committed artifacts, recorded
results and the notebook environment. Imports nothing else of the library."""
