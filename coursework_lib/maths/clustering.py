"""Pseudo-labels without labels (chapter 7): k-means clusters of images, for a GAN conditioned on them.

An unconditional generator maps one connected Gaussian onto ten separate digit classes, so some of its
samples fall between two classes. Splitting the training images into many clusters first, and telling
the generator which cluster to draw, gives each cluster its own copy of the latent space, with no
labels involved (the idea of cluster-conditioned GANs, e.g. Liu et al., 2020, *Diverse image
generation via self-conditioned GANs*, who cluster the discriminator's features instead of pixels).

The clusters: project the flattened images onto their first principal components (which keeps the
large-scale shape and drops pixel noise), then run k-means there.
"""

from __future__ import annotations

import numpy as np

from coursework_lib.core.validation import as_float_array, check_positive_int


def pixel_clusters(images, num_clusters: int = 50, num_components: int = 50, seed: int = 0) -> np.ndarray:
    """k-means cluster of each image in the space of the images' first principal components.

    images: (n, h, w) or (n, h, w, 1), any real dtype (uint8 is scaled to [0, 1]).
    Returns (n,) int32 cluster indices in [0, num_clusters), the same for the same seed.
    """
    from sklearn.cluster import KMeans
    from sklearn.decomposition import PCA

    images = np.asarray(images)
    if images.ndim not in (3, 4) or (images.ndim == 4 and images.shape[-1] != 1):
        raise ValueError(f"images must have shape (n, h, w) or (n, h, w, 1), got {images.shape}")
    flat = as_float_array(images.reshape(len(images), -1), "images").astype(np.float32)
    if images.dtype == np.uint8:
        flat /= 255.0
    num_clusters = check_positive_int(num_clusters, "num_clusters")
    num_components = check_positive_int(num_components, "num_components")
    if len(flat) < num_clusters or num_components > min(flat.shape):
        raise ValueError(
            f"need at least num_clusters = {num_clusters} images and num_components <= "
            f"min(n, pixels) = {min(flat.shape)}, got {flat.shape} and {num_components}"
        )
    projected = PCA(num_components, random_state=seed).fit_transform(flat)
    return KMeans(num_clusters, n_init=1, random_state=seed).fit_predict(projected).astype(np.int32)


def cluster_frequencies(clusters, num_clusters: int) -> np.ndarray:
    """(n,) cluster indices -> (num_clusters,) float64 share of the images in each cluster (sums to 1)."""
    clusters = np.asarray(clusters)
    num_clusters = check_positive_int(num_clusters, "num_clusters")
    if (
        clusters.ndim != 1
        or clusters.size == 0
        or not np.issubdtype(clusters.dtype, np.integer)
        or clusters.min() < 0
        or clusters.max() >= num_clusters
    ):
        raise ValueError(f"clusters must be a non-empty (n,) array of integers in [0, {num_clusters})")
    return np.bincount(clusters, minlength=num_clusters) / clusters.size


def cluster_purity(clusters, labels) -> float:
    """Share of images whose label is the most common label of their cluster: 1 when every cluster
    holds a single class. clusters, labels: (n,) integers. (Labels are used to judge, never to cluster.)"""
    clusters, labels = np.asarray(clusters), np.asarray(labels)
    if (
        clusters.shape != labels.shape
        or clusters.ndim != 1
        or clusters.size == 0
        or not np.issubdtype(clusters.dtype, np.integer)
        or not np.issubdtype(labels.dtype, np.integer)
        or labels.min() < 0
    ):
        raise ValueError(
            f"clusters and labels must be non-empty (n,) integer arrays of the same shape "
            f"(labels >= 0), "
            f"got {clusters.shape} and {labels.shape}"
        )
    majority = sum(np.bincount(labels[clusters == c]).max() for c in np.unique(clusters))
    return float(majority / clusters.size)
