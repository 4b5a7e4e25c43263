#!/usr/bin/env bash
# Fashion-MNIST's IDX files come from Debian's package dataset-fashion-mnist.
# Installed when we are root on a Debian-like system; otherwise we print the command.
set -u
dir=/usr/share/datasets/fashion-mnist
[ -f "$dir/train-images-idx3-ubyte.gz" ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "note: no apt-get here; Fashion-MNIST will come from the Keras cache or be downloaded by Keras."
  exit 0
fi
if [ "$(id -u)" = 0 ]; then
  apt-get install -y -q dataset-fashion-mnist >/dev/null 2>&1 \
    || { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q dataset-fashion-mnist >/dev/null; } \
    || echo "warning: could not install dataset-fashion-mnist with apt-get"
else
  echo "To read Fashion-MNIST offline, run:  sudo apt-get install dataset-fashion-mnist"
fi
exit 0
