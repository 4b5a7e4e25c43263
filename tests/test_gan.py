"""Chapter 7: GAN losses against Keras and closed forms, the 1-D GAN's gradients against TensorFlow
autodiff, the source networks against the TensorFlow tutorial's published sizes, the conditional networks
against their formulas, the Fréchet distance against closed forms and SciPy, and a resumable training
run on a tiny subset."""

import json

import numpy as np
import pytest
import scipy.linalg

from coursework_lib import gan, gan_metrics, gan_training


def keras_bce_from_logits(labels, logits):
    import keras

    return float(keras.losses.BinaryCrossentropy(from_logits=True)(labels, logits))


@pytest.mark.parametrize("scale", [0.5, 3.0, 60.0])
def test_losses_match_keras_binary_cross_entropy(scale):
    rng = np.random.default_rng(0)
    real, fake = rng.normal(0, scale, (32, 1)), rng.normal(0, scale, (32, 1))
    expected_d = keras_bce_from_logits(np.ones_like(real), real) + keras_bce_from_logits(np.zeros_like(fake), fake)
    assert gan.discriminator_loss(real, fake) == pytest.approx(expected_d, rel=1e-5)
    assert gan.generator_loss(fake) == pytest.approx(keras_bce_from_logits(np.ones_like(fake), fake), rel=1e-5)


def test_losses_closed_forms():
    # D = 1/2 on everything: each cross-entropy is log 2.
    assert gan.discriminator_loss(np.zeros(5), np.zeros(3)) == pytest.approx(2 * np.log(2))
    assert gan.generator_loss(np.zeros(4)) == pytest.approx(np.log(2))
    assert gan.minimax_generator_loss(np.zeros(4)) == pytest.approx(-np.log(2))
    # log(1 - sigmoid(l)) written directly, for moderate logits.
    logits = np.linspace(-5, 5, 11)
    assert gan.minimax_generator_loss(logits) == pytest.approx(np.mean(np.log(1 - 1 / (1 + np.exp(-logits)))))
    # Huge logits stay finite: a confident, correct discriminator costs nothing.
    assert gan.discriminator_loss(np.full(3, 800.0), np.full(3, -800.0)) == pytest.approx(0.0, abs=1e-12)


def test_non_saturating_gradient_is_large_where_the_minimax_one_vanishes():
    eps, l = 1e-6, -12.0   # the discriminator is sure the sample is fake
    slope_ns = (gan.generator_loss([l + eps]) - gan.generator_loss([l - eps])) / (2 * eps)
    slope_mm = (gan.minimax_generator_loss([l + eps]) - gan.minimax_generator_loss([l - eps])) / (2 * eps)
    assert abs(slope_ns) > 0.99 and abs(slope_mm) < 1e-4


def test_optimal_discriminator_maximises_the_pointwise_value():
    p_data, p_model = np.array([0.1, 0.5, 2.0, 0.0]), np.array([0.3, 0.5, 0.1, 1.0])
    d_star = gan.optimal_discriminator(p_data, p_model)
    grid = np.linspace(1e-6, 1 - 1e-6, 200_001)
    for pd, pm, d in zip(p_data, p_model, d_star):
        value = pd * np.log(grid) + pm * np.log(1 - grid)
        assert d == pytest.approx(grid[np.argmax(value)], abs=1e-5)


def test_loss_inputs_are_validated():
    with pytest.raises(ValueError, match="real_logits must have shape"):
        gan.discriminator_loss(np.zeros((3, 2)), np.zeros(3))
    with pytest.raises(ValueError, match="fake_logits contains NaN"):
        gan.generator_loss([np.nan])
    with pytest.raises(ValueError, match="at least one"):
        gan.generator_loss(np.zeros(0))
    with pytest.raises(ValueError, match="p_data and p_model"):
        gan.optimal_discriminator(np.ones(2), np.ones(3))


def tf_linear_gan_gradients(params, real, z):
    import tensorflow as tf

    a, b, w, c = (tf.Variable(float(p), dtype=tf.float64) for p in params)
    real, z = tf.constant(real), tf.constant(z)
    with tf.GradientTape(persistent=True) as tape:
        fake = a * z + b
        l_real, l_fake = w * real + c, w * fake + c
        d_loss = tf.reduce_mean(tf.nn.softplus(-l_real)) + tf.reduce_mean(tf.nn.softplus(l_fake))
        g_loss = tf.reduce_mean(tf.nn.softplus(-l_fake))
    return np.array([*(g.numpy() for g in tape.gradient(g_loss, [a, b])),
                     *(g.numpy() for g in tape.gradient(d_loss, [w, c]))])


@pytest.mark.parametrize("seed", range(4))
def test_linear_gan_gradients_match_tensorflow(seed):
    rng = np.random.default_rng(seed)
    params = rng.normal(size=4) * [1, 1, 3, 3]
    real, z = rng.normal(2, 0.5, 17), rng.standard_normal(11)
    np.testing.assert_allclose(gan.linear_gan_gradients(params, real, z), tf_linear_gan_gradients(params, real, z),
                               rtol=1e-10, atol=1e-12)
    step = gan.linear_gan_step(params, real, z, learning_rate=0.3)
    np.testing.assert_allclose(step, params - 0.3 * tf_linear_gan_gradients(params, real, z), rtol=1e-10)


def test_linear_gan_validation_and_trajectory():
    with pytest.raises(ValueError, match=r"params must be \(a, b, w, c\)"):
        gan.linear_gan_step(np.zeros(3), np.ones(2), np.ones(2))
    with pytest.raises(ValueError, match="learning_rate must be positive"):
        gan.linear_gan_step(np.ones(4), np.ones(2), np.ones(2), learning_rate=-1.0)
    path = gan.linear_gan_trajectory([1.0, 0.0, 0.1, 0.0], steps=30)
    assert path.shape == (31, 4) and np.all(np.isfinite(path))
    # The generator's offset moves towards the data mean (2) at first.
    assert path[10, 1] > path[0, 1]


def test_source_networks_have_the_tutorials_sizes():
    # Published in the TensorFlow DCGAN tutorial's model summaries.
    generator, discriminator = gan.build_source_generator(), gan.build_source_discriminator()
    assert gan.count_parameters(generator) == 2_330_944
    assert gan.count_parameters(discriminator) == 212_865
    z = gan.latent_vectors(3, seed=1)
    images = np.asarray(generator(z, training=False))
    assert images.shape == (3, 28, 28, 1) and np.abs(images).max() <= 1.0
    assert np.asarray(discriminator(images)).shape == (3, 1)


def test_conditional_generator_appends_a_one_hot_label_to_z():
    generator = gan.build_conditional_generator(width=8)
    # Only the first Dense layer grows: ten more inputs, each with 7·7·2w weights.
    assert gan.count_parameters(generator) == gan.count_parameters(gan.build_small_generator(width=8)) + 10 * 7 * 7 * 16
    assert gan.is_conditional(generator) and not gan.is_conditional(gan.build_small_generator(width=8))
    assert gan.noise_dimension(generator) == gan.NOISE_DIM
    z = np.repeat(gan.latent_vectors(1, seed=2), 3, axis=0)
    images = np.asarray(generator([z, np.array([0, 0, 7], np.int32)], training=False))
    assert images.shape == (3, 28, 28, 1) and np.abs(images).max() <= 1.0
    np.testing.assert_array_equal(images[0], images[1])
    assert np.abs(images[0] - images[2]).max() > 1e-4          # same z, another digit: another image


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


def test_conditional_train_step_teaches_only_the_classes_it_sees():
    import keras
    import tensorflow as tf

    keras.utils.set_random_seed(0)
    generator, discriminator = gan.build_conditional_generator(width=4), gan.build_conditional_discriminator(width=4)
    step = gan.make_train_step(generator, discriminator, keras.optimizers.Adam(1e-3), keras.optimizers.Adam(1e-3))
    embedding = discriminator.get_layer("class_embedding").weights[0]
    before = np.asarray(embedding).copy()
    real = tf.constant(np.random.default_rng(0).uniform(-1, 1, (8, 28, 28, 1)).astype(np.float32))
    d_loss, g_loss = step(real, tf.constant(np.full(8, 3, np.int32)))
    assert np.isfinite(float(d_loss)) and np.isfinite(float(g_loss))
    after = np.asarray(embedding)
    assert np.abs(after[3] - before[3]).max() > 0                 # the class shown was updated
    np.testing.assert_array_equal(np.delete(after, 3, axis=0), np.delete(before, 3, axis=0))
    with pytest.raises(ValueError, match="needs the labels"):
        step(real)


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
    for bad in (np.arange(12) + 1, np.zeros(11, int), np.zeros(12)):      # a 10, too short, floats
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


def test_multiply_adds_by_hand():
    import keras
    from keras import layers

    conv = keras.Sequential([keras.Input((28, 28, 1)), layers.Conv2D(8, 5, strides=2, padding="same")])
    assert gan.multiply_adds_per_image(conv) == 14 * 14 * 8 * 25
    up = keras.Sequential([keras.Input((7, 7, 16)), layers.Conv2DTranspose(4, 3, strides=2, padding="same")])
    assert gan.multiply_adds_per_image(up) == 7 * 7 * 16 * 4 * 9      # each input pixel scatters a kernel
    small_g = gan.build_small_generator()
    assert gan.multiply_adds_per_image(small_g) < gan.multiply_adds_per_image(gan.build_source_generator()) / 4


def test_ranges_and_latents():
    images = np.zeros((2, 28, 28), np.uint8)
    images[1] = 255
    scaled = gan.to_gan_range(images)
    assert scaled.shape == (2, 28, 28, 1) and scaled.min() == -1 and scaled.max() == 1
    np.testing.assert_array_equal(gan.to_unit_range(scaled), images / 255.0)
    with pytest.raises(ValueError, match="images must have shape"):
        gan.to_gan_range(np.zeros((1, 14, 28)))
    np.testing.assert_array_equal(gan.latent_vectors(4, seed=3), gan.latent_vectors(4, seed=3))
    path = gan.interpolate_latents(np.zeros(5), np.ones(5), steps=5)
    np.testing.assert_allclose(path[:, 0], [0, 0.25, 0.5, 0.75, 1.0])


def test_frechet_distance_closed_forms():
    rng = np.random.default_rng(0)
    a, b = rng.uniform(0.1, 2, 6), rng.uniform(0.1, 2, 6)
    mu1, mu2 = rng.normal(size=6), rng.normal(size=6)
    expected = np.sum((mu1 - mu2) ** 2) + np.sum((np.sqrt(a) - np.sqrt(b)) ** 2)   # diagonal covariances
    assert gan_metrics.frechet_distance(mu1, np.diag(a), mu2, np.diag(b)) == pytest.approx(expected, rel=1e-10)
    A = rng.normal(size=(6, 6))
    S = A @ A.T
    assert gan_metrics.frechet_distance(mu1, S, mu1, S) == pytest.approx(0.0, abs=1e-8)


def test_frechet_distance_matches_scipy_sqrtm():
    rng = np.random.default_rng(1)
    A, B = rng.normal(size=(8, 8)), rng.normal(size=(8, 8))
    S1, S2 = A @ A.T, B @ B.T + 0.1 * np.eye(8)
    mu1, mu2 = rng.normal(size=8), rng.normal(size=8)
    expected = np.sum((mu1 - mu2) ** 2) + np.trace(S1 + S2 - 2 * np.real(scipy.linalg.sqrtm(S1 @ S2)))
    assert gan_metrics.frechet_distance(mu1, S1, mu2, S2) == pytest.approx(expected, rel=1e-8)
    with pytest.raises(ValueError, match=r"sigma2 must have shape \(8, 8\)"):
        gan_metrics.frechet_distance(mu1, S1, mu2, S2[:4, :4])


def test_feature_statistics_match_numpy():
    x = np.random.default_rng(2).normal(size=(50, 3))
    mu, S = gan_metrics.feature_statistics(x)
    np.testing.assert_allclose(mu, x.mean(0))
    np.testing.assert_allclose(S, np.cov(x.T))


def test_class_scores():
    p = np.array([[0.95, 0.05], [0.5, 0.5], [0.05, 0.95], [0.1, 0.9]])
    assert gan_metrics.confident_fraction(p) == 0.75          # 0.9 itself counts as confident
    np.testing.assert_array_equal(gan_metrics.predicted_class_counts(p), [2, 2])
    assert gan_metrics.class_ratio([30, 10, 20]) == 3.0
    assert gan_metrics.class_ratio([5, 0, 5]) == float("inf")
    with pytest.raises(ValueError, match="rows that sum to 1"):
        gan_metrics.confident_fraction(np.ones((2, 2)))
    with pytest.raises(ValueError, match="threshold"):
        gan_metrics.confident_fraction(p, threshold=0)


def test_label_agreement():
    p = np.array([[0.7, 0.2, 0.1], [0.1, 0.8, 0.1], [0.3, 0.3, 0.4], [0.2, 0.5, 0.3]])
    assert gan_metrics.label_agreement(p, [0, 1, 2, 0]) == 0.75
    with pytest.raises(ValueError, match=r"labels must be \(4,\) integers"):
        gan_metrics.label_agreement(p, [0, 1, 2])
    with pytest.raises(ValueError, match=r"labels must be \(4,\) integers"):
        gan_metrics.label_agreement(p, [0.0, 1.0, 2.0, 0.0])


def test_score_images_equals_separate_probability_and_feature_passes():
    import keras

    keras.utils.set_random_seed(3)
    classifier = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Conv2D(4, 3, strides=2),
                                   keras.layers.Flatten(), keras.layers.Dense(8, activation="relu"),
                                   keras.layers.Dense(10)])
    images = np.random.default_rng(4).random((64, 28, 28), dtype=np.float32)
    reference = gan_metrics.feature_statistics(np.random.default_rng(5).normal(size=(100, 8)))
    labels = np.arange(64) % 10
    scores = gan_metrics.score_images(images, classifier, reference, labels)
    logits = classifier.predict(images[..., None], verbose=0).astype(np.float64)
    p = np.exp(logits - logits.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    assert scores["class_counts"] == np.bincount(p.argmax(axis=1), minlength=10).tolist()
    assert scores["label_agreement"] == pytest.approx(np.mean(p.argmax(axis=1) == labels))
    assert scores["confident_fraction"] == pytest.approx(np.mean(p.max(axis=1) >= 0.9))
    features = keras.Model(classifier.inputs, classifier.layers[-2].output).predict(images[..., None], verbose=0)
    expected = gan_metrics.frechet_distance(features.mean(0), np.cov(features.T.astype(np.float64)), *reference)
    assert scores["fid_cnn"] == pytest.approx(expected, rel=1e-5)


@pytest.mark.parametrize("architecture", ["small", "conditional", "clustered"])
def test_resumable_training_run(tmp_path, architecture):
    run = gan_training.GanRun(architecture, tmp_path / "run", num_train=256)
    log = run.train(1, checkpoint_every=1, export_dir=tmp_path / "w", progress=lambda line: None)
    assert [row["epoch"] for row in log] == [1] and np.isfinite(log[0]["d_loss"])
    resumed = gan_training.GanRun(architecture, tmp_path / "run", num_train=256)
    assert resumed.restore_latest() == 1
    for trained, restored in zip(run.generator.get_weights(), resumed.generator.get_weights()):
        np.testing.assert_array_equal(trained, restored)
    messages = []
    log = resumed.train(2, checkpoint_every=1, export_dir=tmp_path / "w", progress=messages.append)
    assert messages[0] == f"resumed {architecture} from epoch 1" and [row["epoch"] for row in log] == [1, 2]
    paths = gan_training.exported_paths(architecture, tmp_path / "w")
    exported = json.loads(paths["log"].read_text())
    assert [row["epoch"] for row in exported["epochs"]] == [1, 2]
    assert paths["gif"].stat().st_size > 0
    frequencies = gan_training.load_class_frequencies(architecture, tmp_path / "w")
    if architecture == "clustered":
        assert frequencies.shape == (gan.NUM_CLUSTERS,) and frequencies.sum() == pytest.approx(1.0)
    else:
        assert frequencies is None
    generator = gan_training.load_generator(architecture, tmp_path / "w")
    np.testing.assert_array_equal(generator.get_weights()[0], resumed.sampled_generator.get_weights()[0])


def test_weight_average_moves_towards_the_model():
    import tensorflow as tf

    generator, average = gan.build_small_generator(width=4), gan.build_small_generator(width=4)
    average.set_weights([np.zeros_like(w) for w in generator.get_weights()])
    counter = tf.Variable(0.0)
    update = gan.make_average_update(average, generator, counter, decay=0.5)
    assert float(update()) == pytest.approx(0.1)          # warm-up: (1 + 0) / (10 + 0)
    np.testing.assert_allclose(average.get_weights()[0], 0.9 * generator.get_weights()[0], rtol=1e-6)
    assert float(counter) == 1.0
    assert float(update()) == pytest.approx(2 / 11)       # (1 + 1) / (10 + 1)
    with pytest.raises(ValueError, match="decay must be in"):
        gan.make_average_update(average, generator, counter, decay=1.0)
    with pytest.raises(TypeError, match="counter must be a scalar float32 tf.Variable"):
        gan.make_average_update(average, generator, 0.0)


def test_first_epoch_matching():
    log = [{"epoch": 1, "confident_fraction": 0.5, "fid_cnn": 9.0, "class_ratio": 1.0},
           {"epoch": 2, "confident_fraction": 0.8, "fid_cnn": 6.0, "class_ratio": 1.0},
           {"epoch": 3, "confident_fraction": 0.7, "fid_cnn": 3.0, "class_ratio": 1.0},
           {"epoch": 4, "confident_fraction": 0.8, "fid_cnn": 3.0, "class_ratio": 1.0}]
    assert gan_training.first_epoch_matching(log, 0.75, 4.0)["epoch"] == 4
    assert gan_training.first_epoch_matching(log, 0.9, 4.0) is None
    log = [{"epoch": 1, "confident_fraction": 0.95, "fid_cnn": 9.0, "class_ratio": 4.0},
           {"epoch": 2, "confident_fraction": 0.85, "fid_cnn": 9.0, "class_ratio": 1.5},
           {"epoch": 3, "confident_fraction": 0.92, "fid_cnn": 9.0, "class_ratio": 2.5}]
    assert gan_training.first_epoch_matching(log, 0.9, class_ratio=2.5)["epoch"] == 3
    assert gan_training.first_epoch_matching(log, 0.9, class_ratio=2.0) is None


def test_figures_and_widget_build():
    import matplotlib.pyplot as plt

    from coursework_lib.plotting import gan as gan_plots

    generator = gan.build_small_generator(width=4)
    gan_plots.plot_optimal_discriminator()
    gan_plots.plot_generator_losses()
    gan_plots.plot_linear_gan(gan.linear_gan_trajectory([1.0, 0.0, 0.0, 0.0], steps=10))
    fig = gan_plots.plot_latent_walks(generator, pairs=((0, 1),), steps=4, nudge_dims=(0,))
    assert len(fig.axes) == 2
    pytest.importorskip("ipywidgets")
    from coursework_lib.widgets import gan as gan_widgets

    widget = gan_widgets.latent_explorer(generator)
    names = {c.description for c in widget.children if hasattr(c, "description")}
    assert {"seed A", "seed B", "A → B", "coordinate", "nudge"} <= names
    plt.close("all")
