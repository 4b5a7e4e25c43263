"""Local Sphinx extension for the offline HTML book (loaded from _config.yml's sphinx.local_extensions).

Two fixes for console errors that the browser test (tests/browser) caught in the theme stack:

* sphinx-thebe 0.3 registers its inline ``const THEBE_JS_URL = ...`` script once per
  ``env-before-read-docs`` event, which fires more than once in a Jupyter Book build: the page then
  declares the constant twice and the browser throws "Identifier 'THEBE_JS_URL' has already been
  declared". Identical script entries are dropped from each page's script list.
* pydata-sphinx-theme 0.17 logs "Got invalid theme mode: ." when ``default_mode`` is unset (Jupyter
  Book leaves it empty); html_context's default_mode is set to "auto" (follow the reader's system setting)
  unless configured.
"""

from __future__ import annotations


def _script_key(script) -> tuple:
    attributes = getattr(script, "attributes", {}) or {}
    filename = getattr(script, "filename", script) or ""  # inline scripts: None or "" (both seen)
    return (str(filename), tuple(sorted((k, str(v)) for k, v in attributes.items())))


def dedupe_scripts(app, pagename, templatename, context, doctree) -> None:
    scripts = context.get("script_files")
    if not scripts:
        return
    seen: set[tuple] = set()
    unique = []
    for script in scripts:
        key = _script_key(script)
        if key not in seen:
            seen.add(key)
            unique.append(script)
    scripts[:] = unique


def default_theme_mode(app, config) -> None:
    context = dict(config.html_context or {})
    if not context.get("default_mode"):
        context["default_mode"] = "auto"  # pydata-sphinx-theme reads it from html_context
        config.html_context = context


def setup(app):
    app.connect("config-inited", default_theme_mode)
    # last: the theme's own html-page-context handlers (priority 500/501) add scripts too
    app.connect("html-page-context", dedupe_scripts, priority=999)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
