"""Chapter 7's Keras GANs: the source networks against the TensorFlow tutorial's published sizes, the
conditional networks against their formulas, the recipes against the settings the chapter states,
sampling and latent walks against latent vectors built by hand."""

import numpy as np
import pytest

from coursework_lib.maths import latent
from coursework_lib.models import gan, model_size


def test_source_networks_have_the_tutorials_sizes():
    # Published in the TensorFlow DCGAN tutorial's model summaries.
    generator, discriminator = gan.build_source_generator(), gan.build_source_discriminator()
    assert model_size.count_parameters(generator) == 2_330_944
    assert model_size.count_parameters(discriminator) == 212_865
    z = gan.latent_vectors(3, seed=1)
    images = np.asarray(generator(z, training=False))
    assert images.shape == (3, 28, 28, 1) and np.abs(images).max() <= 1.0
    assert np.asarray(discriminator(images)).shape == (3, 1)


def test_conditional_generator_appends_a_one_hot_label_to_z():
    generator = gan.build_conditional_generator(width=8)
    # Only the first Dense layer grows: ten more inputs, each with 7·7·2w weights.
    assert (
        model_size.count_parameters(generator)
        == model_size.count_parameters(gan.build_small_generator(width=8)) + 10 * 7 * 7 * 16
    )
    assert gan.is_conditional(generator) and not gan.is_conditional(gan.build_small_generator(width=8))
    assert gan.noise_dimension(generator) == gan.NOISE_DIM
    z = np.repeat(gan.latent_vectors(1, seed=2), 3, axis=0)
    images = np.asarray(generator([z, np.array([0, 0, 7], np.int32)], training=False))
    assert images.shape == (3, 28, 28, 1) and np.abs(images).max() <= 1.0
    np.testing.assert_array_equal(images[0], images[1])
    assert np.abs(images[0] - images[2]).max() > 1e-4  # same z, another digit: another image


def test_projection_discriminator_matches_its_formula():
    import keras

    keras.utils.set_random_seed(1)
    discriminator = gan.build_conditional_discriminator(width=8)
    images = np.random.default_rng(0).uniform(-1, 1, (5, 28, 28, 1)).astype(np.float32)
    labels = np.array([0, 3, 3, 9, 5], np.int32)
    flatten = next(layer for layer in discriminator.layers if type(layer).__name__ == "Flatten")
    features = keras.Model(discriminator.inputs[0], flatten.output)
    phi = np.asarray(features(images), np.float64)
    w, b = (np.asarray(v, np.float64) for v in discriminator.get_layer("logit").weights)
    embedding = np.asarray(discriminator.get_layer("class_embedding").weights[0], np.float64)
    expected = phi @ w + b + np.sum(embedding[labels] * phi, axis=1, keepdims=True)
    np.testing.assert_allclose(np.asarray(discriminator([images, labels])), expected, rtol=1e-4, atol=1e-5)


def test_generate_checks_labels():
    conditional, plain = gan.build_conditional_generator(width=4), gan.build_small_generator(width=4)
    z = gan.latent_vectors(12, seed=0)
    np.testing.assert_array_equal(gan.balanced_labels(12), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1])
    assert gan.sample_images(conditional, 12).shape == (12, 28, 28)
    z_sampled, labels = gan.sample_inputs(conditional, 12)
    np.testing.assert_array_equal(z_sampled, z)
    np.testing.assert_array_equal(labels, gan.balanced_labels(12))
    assert gan.sample_inputs(plain, 12)[1] is None
    with pytest.raises(ValueError, match="needs labels"):
        gan.generate(conditional, z)
    with pytest.raises(ValueError, match="not conditional"):
        gan.generate(plain, z, gan.balanced_labels(12))
    for bad in (np.arange(12) + 1, np.zeros(11, int), np.zeros(12)):  # a 10, too short, floats
        with pytest.raises(ValueError, match=r"labels must be \(12,\) integers in \[0, 10\)"):
            gan.generate(conditional, z, bad)


def test_sampling_a_generator_conditioned_on_clusters():
    generator = gan.build_conditional_generator(width=4, num_classes=3)
    assert gan.num_classes(generator) == 3
    _, labels = gan.sample_inputs(generator, 6)
    np.testing.assert_array_equal(labels, [0, 1, 2, 0, 1, 2])
    _, labels = gan.sample_inputs(generator, 5, class_frequencies=[0.0, 1.0, 0.0])
    np.testing.assert_array_equal(labels, [1] * 5)
    _, labels = gan.sample_inputs(generator, 20_000, seed=3, class_frequencies=[0.5, 0.3, 0.2])
    np.testing.assert_allclose(np.bincount(labels) / 20_000, [0.5, 0.3, 0.2], atol=0.015)
    with pytest.raises(ValueError, match=r"class_frequencies must be \(3,\) non-negative"):
        gan.sample_inputs(generator, 5, class_frequencies=[0.5, 0.5])
    with pytest.raises(ValueError, match="not conditional"):
        gan.sample_inputs(gan.build_small_generator(width=4), 5, class_frequencies=[1.0])
    with pytest.raises(ValueError, match="not conditional"):
        gan.num_classes(gan.build_small_generator(width=4))


def test_small_generator_is_much_cheaper_than_the_source():
    small, source = gan.build_small_generator(), gan.build_source_generator()
    assert model_size.multiply_adds_per_image(small) < model_size.multiply_adds_per_image(source) / 4


def test_ranges_and_latents():
    images = np.zeros((2, 28, 28), np.uint8)
    images[1] = 255
    scaled = gan.to_gan_range(images)
    assert scaled.shape == (2, 28, 28, 1) and scaled.min() == -1 and scaled.max() == 1
    np.testing.assert_array_equal(gan.to_unit_range(scaled), images / 255.0)
    with pytest.raises(ValueError, match="images must have shape"):
        gan.to_gan_range(np.zeros((1, 14, 28)))
    np.testing.assert_array_equal(gan.latent_vectors(4, seed=3), gan.latent_vectors(4, seed=3))
    path = latent.interpolate_latents(np.zeros(5), np.ones(5), steps=5)
    np.testing.assert_allclose(path[:, 0], [0, 0.25, 0.5, 0.75, 1.0])


@pytest.mark.parametrize(
    "architecture, batch_size, lr, beta_1", [("source", 256, 1e-4, 0.9), ("small", 128, 2e-4, 0.5)]
)
def test_build_gan_returns_named_parts_with_the_stated_settings(architecture, batch_size, lr, beta_1):
    parts = gan.build_gan(architecture)
    assert isinstance(parts, gan.GanParts) and parts.batch_size == batch_size
    assert parts.generator.name == f"{architecture}_generator"
    assert parts.discriminator.name == f"{architecture}_discriminator"
    for optimizer in (parts.generator_optimizer, parts.discriminator_optimizer):
        assert float(optimizer.learning_rate) == pytest.approx(lr) and optimizer.beta_1 == beta_1
    assert parts.generator_optimizer is not parts.discriminator_optimizer
    with pytest.raises(ValueError, match="architecture"):
        gan.build_gan("large")


def test_nudge_coordinate_by_hand():
    z = np.array([0.5, -1.0, 2.0])
    nudged = gan.nudge_coordinate(z, 1, [-2.0, 0.0, 3.0])
    expected = np.array([[0.5, -3.0, 2.0], [0.5, -1.0, 2.0], [0.5, 2.0, 2.0]], np.float32)
    assert nudged.dtype == np.float32
    np.testing.assert_array_equal(nudged, expected)
    with pytest.raises(ValueError, match=r"dim must be an integer in \[0, 3\)"):
        gan.nudge_coordinate(z, 3, [1.0])


def test_latent_walks_generate_the_lines_and_nudges():
    generator = gan.build_small_generator(width=4)
    walks = gan.latent_walks(generator, pairs=((0, 1), (2, 3)), steps=5, nudge_dims=(7,), nudge=2.0)
    assert list(walks) == [
        "walk from seed 0 to seed 1",
        "walk from seed 2 to seed 3",
        "seed 0, coordinate 7 moved by -2 … +2",
    ]
    rng = lambda seed: np.random.default_rng(seed).standard_normal((1, gan.NOISE_DIM), dtype=np.float32)[0]  # noqa: E731
    t = np.linspace(0, 1, 5)[:, None]
    line = ((1 - t) * rng(2) + t * rng(3)).astype(np.float32)
    np.testing.assert_allclose(walks["walk from seed 2 to seed 3"], gan.generate(generator, line), atol=1e-6)
    nudged = np.repeat(rng(0)[None], 5, axis=0)
    nudged[:, 7] += np.array([-2, -1, 0, 1, 2], np.float32)
    np.testing.assert_allclose(
        walks["seed 0, coordinate 7 moved by -2 … +2"], gan.generate(generator, nudged), atol=1e-6
    )
    assert all(images.shape == (5, 28, 28) for images in walks.values())
