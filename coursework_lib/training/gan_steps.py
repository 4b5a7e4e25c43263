"""One step of GAN training in Keras (chapter 7): the source's two-tape training step, and the moving
average of the generator's weights that our small GANs sample from.

The losses are those of :mod:`coursework_lib.maths.gan_theory`, computed here with Keras' own binary
cross-entropy from logits, as the source did. Images are (n, 28, 28, 1) float32 in [-1, 1].
"""

from __future__ import annotations

from coursework_lib.core.validation import check_finite_number, check_positive_int
from coursework_lib.models.gan import NOISE_DIM, is_conditional


def make_train_step(generator, discriminator, generator_optimizer, discriminator_optimizer, noise_dim: int = NOISE_DIM):
    """The source's training step as a ``tf.function``: real images (n, 28, 28, 1) in [-1, 1] ->
    (discriminator loss, generator loss) tensors, after one Adam step of each network.

    One forward pass of each network under two ``GradientTape``s; each tape differentiates its own
    player's loss with respect to its own weights only, so the two updates are simultaneous.
    A conditional GAN's step (the generator takes labels, ``gan.is_conditional``) also takes the real
    images' labels (n,) int32: the fakes are drawn for the same labels, and the discriminator sees every
    image together with its label.
    """
    import keras
    import tensorflow as tf

    bce = keras.losses.BinaryCrossentropy(from_logits=True)
    noise_dim = check_positive_int(noise_dim, "noise_dim")
    conditional = is_conditional(generator)

    @tf.function
    def train_step(real_images, labels=None):
        if conditional and labels is None:
            raise ValueError("a conditional GAN's train_step needs the labels of real_images")
        with_labels = (lambda x: [x, labels]) if conditional else (lambda x: x)
        z = tf.random.normal([tf.shape(real_images)[0], noise_dim])
        with tf.GradientTape() as g_tape, tf.GradientTape() as d_tape:
            fake_images = generator(with_labels(z), training=True)
            real_logits = discriminator(with_labels(real_images), training=True)
            fake_logits = discriminator(with_labels(fake_images), training=True)
            g_loss = bce(tf.ones_like(fake_logits), fake_logits)
            d_loss = bce(tf.ones_like(real_logits), real_logits) + bce(tf.zeros_like(fake_logits), fake_logits)
        g_grads = g_tape.gradient(g_loss, generator.trainable_variables)
        d_grads = d_tape.gradient(d_loss, discriminator.trainable_variables)
        generator_optimizer.apply_gradients(zip(g_grads, generator.trainable_variables))
        discriminator_optimizer.apply_gradients(zip(d_grads, discriminator.trainable_variables))
        return d_loss, g_loss

    return train_step


def make_average_update(average_model, model, counter, decay: float = 0.999):
    """A ``tf.function`` that moves every weight of ``average_model`` towards ``model``'s:
    w_avg <- d w_avg + (1 - d) w with d = min(decay, (1 + t) / (10 + t)) at update t (a short warm-up,
    so the average does not remember the random start for long). Returns the decay used.

    counter: a scalar float ``tf.Variable`` holding t (start it at 0); each update adds one. It is the
    caller's, so that a checkpoint can save it with the weights and a resumed run continues the warm-up.

    Averaging the generator's weights over the last ~1/(1 - decay) steps smooths out the rotation of the
    two-player game (see the one-dimensional GAN): the average sits nearer the centre of the orbit than
    any single iterate. It costs one multiply-add per weight per step.
    """
    import tensorflow as tf

    decay = check_finite_number(decay, "decay", positive=True)
    if decay >= 1:
        raise ValueError(f"decay must be in (0, 1), got {decay!r}")
    if len(average_model.weights) != len(model.weights):
        raise ValueError("average_model and model must have the same architecture")
    if not isinstance(counter, tf.Variable) or counter.shape != () or counter.dtype != tf.float32:
        raise TypeError(f"counter must be a scalar float32 tf.Variable, got {counter!r}")

    @tf.function
    def update():
        d = tf.minimum(decay, (1.0 + counter) / (10.0 + counter))
        for average, current in zip(average_model.weights, model.weights):
            average.assign(d * average + (1.0 - d) * current)
        counter.assign_add(1.0)
        return d

    return update
