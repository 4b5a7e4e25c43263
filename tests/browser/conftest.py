"""Fixtures for the browser tests of the built HTML book (run by `make browser-test`).

They need the built book (_build/html) and Debian's Chromium driven by Playwright's Python package
(no browser download). A plain `pytest tests` skips them unless BOOK_BROWSER_TEST=1 is set; with it set,
anything missing is a failure, not a skip.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import tempfile
import threading
from pathlib import Path

import pytest
from book_site import ARTEFACTS, CHROMIUM_ARGS, HTML, REQUIRED, chromium_executable


def _unavailable(reason: str):
    if REQUIRED:
        pytest.fail(reason)
    pytest.skip(reason + " (set BOOK_BROWSER_TEST=1, or run `make browser-test`)")


@pytest.fixture(scope="session")
def built_site() -> Path:
    if not (HTML / "index.html").is_file():
        _unavailable(f"{HTML} is not built")
    return HTML


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep pytest's output readable
        pass


@pytest.fixture(scope="session")
def site_url(built_site):
    """Serve _build/html on a free localhost port for the whole session."""
    handler = functools.partial(_QuietHandler, directory=str(built_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser_context(site_url):
    """Headless Debian Chromium with a fresh profile, driven by Playwright (no downloaded browser)."""
    if not REQUIRED:
        _unavailable("browser tests are opt-in")
    executable = chromium_executable()
    if executable is None:
        _unavailable("no Chromium executable; run scripts/install_browser.sh")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the Python package playwright is not installed; run scripts/install_browser.sh")
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    profile = tempfile.mkdtemp(prefix="book-chromium-profile-")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            profile,
            executable_path=executable,
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1280, "height": 900},
            service_workers="block",
        )
        try:
            yield context
        finally:
            context.close()
            shutil.rmtree(profile, ignore_errors=True)
