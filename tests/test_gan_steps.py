"""Chapter 7's training step and weight average: a conditional step updates only the class embedding it
is shown, and the average follows its warm-up formula."""

import numpy as np
import pytest

from coursework_lib.models import gan
from coursework_lib.training import gan_steps


def test_conditional_train_step_teaches_only_the_classes_it_sees():
    import keras
    import tensorflow as tf

    keras.utils.set_random_seed(0)
    generator, discriminator = gan.build_conditional_generator(width=4), gan.build_conditional_discriminator(width=4)
    step = gan_steps.make_train_step(generator, discriminator, keras.optimizers.Adam(1e-3), keras.optimizers.Adam(1e-3))
    embedding = discriminator.get_layer("class_embedding").weights[0]
    before = np.asarray(embedding).copy()
    real = tf.constant(np.random.default_rng(0).uniform(-1, 1, (8, 28, 28, 1)).astype(np.float32))
    d_loss, g_loss = step(real, tf.constant(np.full(8, 3, np.int32)))
    assert np.isfinite(float(d_loss)) and np.isfinite(float(g_loss))
    after = np.asarray(embedding)
    assert np.abs(after[3] - before[3]).max() > 0  # the class shown was updated
    np.testing.assert_array_equal(np.delete(after, 3, axis=0), np.delete(before, 3, axis=0))
    with pytest.raises(ValueError, match="needs the labels"):
        step(real)


def test_weight_average_moves_towards_the_model():
    import tensorflow as tf

    generator, average = gan.build_small_generator(width=4), gan.build_small_generator(width=4)
    average.set_weights([np.zeros_like(w) for w in generator.get_weights()])
    counter = tf.Variable(0.0)
    update = gan_steps.make_average_update(average, generator, counter, decay=0.5)
    assert float(update()) == pytest.approx(0.1)  # warm-up: (1 + 0) / (10 + 0)
    np.testing.assert_allclose(average.get_weights()[0], 0.9 * generator.get_weights()[0], rtol=1e-6)
    assert float(counter) == 1.0
    assert float(update()) == pytest.approx(2 / 11)  # (1 + 1) / (10 + 1)
    with pytest.raises(ValueError, match="decay must be in"):
        gan_steps.make_average_update(average, generator, counter, decay=1.0)
    with pytest.raises(TypeError, match="counter must be a scalar float32 tf.Variable"):
        gan_steps.make_average_update(average, generator, 0.0)
