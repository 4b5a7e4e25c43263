"""Chapter 7's pseudo-labels: k-means clusters recover well-separated groups, and the purity and
frequencies match hand counts."""

import numpy as np
import pytest

from coursework_lib.maths import clustering


def three_shapes(n_each=40, seed=0):
    """Images of three different bars (horizontal, vertical, diagonal) with a little noise."""
    rng = np.random.default_rng(seed)
    bars = np.zeros((3, 28, 28))
    bars[0, 12:16, 4:24] = 1
    bars[1, 4:24, 12:16] = 1
    bars[2][np.abs(np.subtract.outer(np.arange(28), np.arange(28))) < 2] = 1
    groups = np.repeat(np.arange(3), n_each)
    images = bars[groups] + 0.1 * rng.standard_normal((3 * n_each, 28, 28))
    return images, groups


def test_pixel_clusters_recover_separated_groups():
    images, groups = three_shapes()
    clusters = clustering.pixel_clusters(images, num_clusters=3, num_components=5)
    assert clusters.dtype == np.int32 and clusters.shape == groups.shape
    assert clustering.cluster_purity(clusters, groups) == 1.0
    assert len(np.unique(clusters)) == 3
    np.testing.assert_array_equal(clusters, clustering.pixel_clusters(images[..., None], 3, num_components=5))


def test_pixel_clusters_validation():
    images, _ = three_shapes(n_each=2)
    with pytest.raises(ValueError, match="images must have shape"):
        clustering.pixel_clusters(np.zeros((4, 28, 28, 3)))
    with pytest.raises(ValueError, match="need at least num_clusters = 10 images"):
        clustering.pixel_clusters(images, num_clusters=10, num_components=2)


def test_frequencies_and_purity_by_hand():
    np.testing.assert_allclose(clustering.cluster_frequencies(np.array([0, 2, 2, 2]), 4), [0.25, 0, 0.75, 0])
    # cluster 0 holds labels {2, 2}, cluster 1 holds {3, 3, 4}: 2 + 2 of 5 agree with their majority
    assert clustering.cluster_purity(np.array([0, 0, 1, 1, 1]), np.array([2, 2, 3, 3, 4])) == pytest.approx(0.8)
    with pytest.raises(ValueError, match=r"integers in \[0, 2\)"):
        clustering.cluster_frequencies(np.array([0, 2]), 2)
    with pytest.raises(ValueError, match="same shape"):
        clustering.cluster_purity(np.array([0, 1]), np.array([0, 1, 1]))
