#!/usr/bin/env bash
# Set up the browser test of the HTML book (tests/browser): Debian's Chromium, driven by the Python
# package `playwright` through executable_path (Playwright never downloads a browser here).
# apt-get runs only as root; otherwise the command to run is printed and the script fails.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}

if ! command -v chromium >/dev/null 2>&1 && [ ! -x /usr/bin/chromium ]; then
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
        echo "install_browser: installing Debian's chromium with apt-get"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
    else
        echo "install_browser: Chromium is missing. Install it with:" >&2
        echo "    sudo apt-get update && sudo apt-get install -y chromium" >&2
        exit 1
    fi
fi

if ! "$PY" -c "import playwright" >/dev/null 2>&1; then
    echo "install_browser: installing the Python package playwright (driver only, no browser download)"
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 "$PY" -m pip install -q "playwright>=1.45,<2"
fi
echo "install_browser: $(chromium --version 2>/dev/null || /usr/bin/chromium --version), playwright $("$PY" -c 'import importlib.metadata as m; print(m.version("playwright"))')"
