#!/usr/bin/env bash
# Install the JavaScript the HTML book serves itself, so that it needs no CDN (offline readers, tests):
#   MathJax 3 (equations), RequireJS + the ipywidgets HTML manager (widgets from their saved state).
# npm ci also installs the browser test's axe-core (a devDependency): the test injects it from
# node_modules/ into each page it opens (tests/browser/axe_check.py); it is not copied into the book.
# Versions are pinned in package.json / package-lock.json and come from the npm registry (`npm ci`).
# The files are copied into book/_static/offline/, which _config.yml puts on html_static_path, so every
# `jupyter-book build` copies them into _build/html/_static/offline/.
# Idempotent and quick when nothing changed. Needs node + npm: installed with apt-get when run as root.
set -euo pipefail
cd "$(dirname "$0")/.."

DEST=book/_static/offline
STAMP="$DEST/.installed"

if ! command -v npm >/dev/null 2>&1; then
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
        echo "install_web_assets: installing node and npm with apt-get"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq nodejs npm >/dev/null
    else
        echo "install_web_assets: npm is missing; install it, e.g.  sudo apt-get install -y nodejs npm" >&2
        exit 1
    fi
fi

# Up to date: the copy is newer than the lock file and this script.
if [ -f "$STAMP" ] && [ "$STAMP" -nt package-lock.json ] && [ "$STAMP" -nt "$0" ] \
        && [ -f "$DEST/mathjax/es5/tex-mml-chtml.js" ] && [ -f "$DEST/widgets/embed-amd.js" ] \
        && [ -f node_modules/axe-core/axe.min.js ]; then
    exit 0
fi

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    echo "install_web_assets: npm ci (mathjax, requirejs, @jupyter-widgets/html-manager; axe-core for the tests)"
    npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
fi

MJ=node_modules/mathjax
HM=node_modules/@jupyter-widgets/html-manager
RJ=node_modules/requirejs
for f in "$MJ/es5/tex-mml-chtml.js" "$HM/dist/embed-amd.js" "$RJ/require.js" node_modules/axe-core/axe.min.js; do
    test -f "$f" || { echo "install_web_assets: $f missing after npm ci" >&2; exit 1; }
done

rm -rf "$DEST/mathjax" "$DEST/widgets"
mkdir -p "$DEST/mathjax" "$DEST/widgets"
# MathJax loads extensions and fonts relative to its own script, so keep the whole es5 tree (~24 MB).
cp -R "$MJ/es5" "$DEST/mathjax/es5"
cp "$MJ/LICENSE" "$DEST/mathjax/LICENSE"
# embed-amd.js bundles @jupyter-widgets/{base,controls,output}; its fonts sit beside it (webpack assets).
cp "$HM"/dist/embed-amd.js "$DEST/widgets/"
find "$HM/dist" -maxdepth 1 -type f \( -name '*.woff' -o -name '*.woff2' -o -name '*.ttf' -o -name '*.eot' -o -name '*.svg' \) \
    -exec cp {} "$DEST/widgets/" \;
cp "$HM/dist/embed.js.LICENSE.txt" "$DEST/widgets/LICENSE.txt" 2>/dev/null || true
cp "$RJ/require.js" "$DEST/widgets/require.js"
touch "$STAMP"
echo "install_web_assets: MathJax $(node -p "require('./$MJ/package.json').version"), html-manager $(node -p "require('./$HM/package.json').version"), requirejs $(node -p "require('./$RJ/package.json').version") -> $DEST; axe-core $(node -p "require('./node_modules/axe-core/package.json').version") (tests)"
