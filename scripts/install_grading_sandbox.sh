#!/usr/bin/env bash
# The grader's sandbox is Debian's bubblewrap (bwrap). Installed when we are root on a Debian-like
# system; otherwise we print the command and fail, so `make grade` never grades without a sandbox.
set -u
if command -v bwrap >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  apt-get install -y -q bubblewrap >/dev/null 2>&1 \
    || { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q bubblewrap >/dev/null; } \
    || { echo "error: could not install bubblewrap with apt-get" >&2; exit 1; }
  exit 0
fi
echo "error: the grader needs bubblewrap. Install it with:  sudo apt-get install -y bubblewrap" >&2
exit 1
