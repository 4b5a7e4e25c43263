"""Every page of the book's table of contents, opened in headless Chromium from a localhost server.

For each page: no console errors or uncaught exceptions; no request to any other host (and no failed
request at all); every image loaded; MathJax typeset every equation; every widget rendered its controls
from the saved state, with a static figure beside it, slider handles named after their descriptions and
images with alt text; exercise solutions collapsed; figures and equations numbered; notebook pages have
the .ipynb download and Binder/Colab launch buttons. And axe-core reports no WCAG 2.1 A/AA violation
(tests/browser/axe_check.py); each page is opened once for both tests.
A full-page screenshot of each page is saved to _build/browser/<page>.png.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from axe_check import AXE_JS, WCAG_TAGS, describe_violations, run_axe, save_report
from book_site import ARTEFACTS, ROOT

WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
# Rendered control for each model of ipywidgets' controls (a model not listed here is checked only
# for being rendered as some .jupyter-widgets element).
CONTROL_CLASS = {
    "FloatSliderModel": ".widget-slider",
    "IntSliderModel": ".widget-slider",
    "FloatLogSliderModel": ".widget-slider",
    "FloatRangeSliderModel": ".widget-slider",
    "IntRangeSliderModel": ".widget-slider",
    "SelectionSliderModel": ".widget-slider",
    "DropdownModel": ".widget-dropdown",
    "CheckboxModel": ".widget-checkbox",
    "ToggleButtonsModel": ".widget-toggle-buttons",
    "RadioButtonsModel": ".widget-radio",
    "OutputModel": ".widget-output",
    "ButtonModel": ".widget-button",
}


def toc_documents(toc_file: Path = ROOT / "_toc.yml") -> list[str]:
    """Every document of the table of contents, in reading order (root, parts, chapters, sections)."""
    toc = yaml.safe_load(toc_file.read_text())
    found: list[str] = [toc["root"]]

    def walk(node):
        if isinstance(node, dict):
            if "file" in node:
                found.append(node["file"])
            for key in ("parts", "chapters", "sections"):
                for child in node.get(key, []) or []:
                    walk(child)

    walk(toc)
    return [re.sub(r"\.(md|ipynb|rst)$", "", doc) for doc in found]


DOCUMENTS = toc_documents()


def is_notebook(doc: str) -> bool:
    return (ROOT / f"{doc}.ipynb").is_file()


def executed_widget_views(doc: str) -> int | None:
    """How many widget views the executed notebook displays: 0 for a Markdown page, None if the
    notebook's executed copy is not in the build's execution cache (jupyter-cache)."""
    source = ROOT / f"{doc}.ipynb"
    if not source.is_file():
        return 0
    import nbformat
    from jupyter_cache import get_cache

    cache = get_cache(ROOT / "_build" / ".jupyter_cache")
    try:
        record = cache.match_cache_notebook(nbformat.read(source, as_version=4))
    except KeyError:
        return None
    nb = cache.get_cache_bundle(record.pk).nb
    return sum(
        WIDGET_VIEW in out.get("data", {})
        for cell in nb.cells
        if cell.cell_type == "code"
        for out in cell.get("outputs", [])
    )


def displayed_models(state: dict, view_ids: list[str]) -> list[str]:
    """Model names of every widget reachable from the displayed views (children, outputs...)."""
    seen: set[str] = set()
    stack = list(view_ids)
    while stack:
        model_id = stack.pop()
        if model_id in seen or model_id not in state:
            continue
        seen.add(model_id)
        refs = re.findall(r"IPY_MODEL_([0-9a-f]+)", json.dumps(state[model_id].get("state", {})))
        stack.extend(refs)
    return [state[m]["model_name"] for m in seen]


PAGE_REPORT_JS = r"""
() => {
  const skip = (n) => n.closest('pre, code, script, style, textarea, .highlight');
  const walker = document.createTreeWalker(document.querySelector('main') || document.body,
                                           NodeFilter.SHOW_TEXT);
  const rawMath = [];
  while (walker.nextNode()) {
    const t = walker.currentNode;
    if (!skip(t.parentElement) && /\$\$|\\begin\{|\\\[|\\\(/.test(t.textContent)) rawMath.push(t.textContent.trim().slice(0, 80));
  }
  const maths = [...document.querySelectorAll('div.math, span.math')];
  const views = [...document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]')];
  const stateTag = document.querySelector('script[type="application/vnd.jupyter.widget-state+json"]');
  return {
    images: [...document.images].map(i => ({src: i.currentSrc.slice(0, 120), ok: i.complete && i.naturalWidth > 0})),
    maths: maths.length,
    unrendered: maths.filter(m => !m.querySelector('mjx-container')).map(m => m.textContent.slice(0, 80)),
    mjx: document.querySelectorAll('mjx-container').length,
    rawMath,
    viewIds: views.map(v => JSON.parse(v.textContent).model_id),
    state: stateTag ? JSON.parse(stateTag.textContent).state : null,
    views: views.map(v => {
      const area = v.previousElementSibling;
      const rendered = !!area && area.classList.contains('widget-subarea');
      const cell = v.closest('.cell');
      let fallback = false, sib = cell;
      for (let k = 0; k < 3 && sib; k++) {
        sib = sib.nextElementSibling;
        if (sib && sib.querySelector('figure img, img')) { fallback = true; break; }
      }
      return {rendered, height: rendered ? area.getBoundingClientRect().height : 0,
              widgets: rendered ? area.querySelectorAll('.jupyter-widgets').length : 0, fallback};
    }),
    controls: Object.fromEntries(%CONTROLS%.map(c => [c, document.querySelectorAll('.widget-subarea ' + c).length])),
    openSolutions: [...document.querySelectorAll('.cell.tag_hide-input')].filter(c => {
      const d = c.querySelector('details.hide'); return !d || d.open; }).length,
    hiddenInputCells: document.querySelectorAll('.cell.tag_hide-input').length,
    unnumberedFigures: [...document.querySelectorAll('figure figcaption')].filter(f => !f.querySelector('.caption-number')).length,
    unnumberedEquations: [...document.querySelectorAll('div.math[id^="equation-"]')].filter(e => !e.querySelector('.eqno')).length,
    links: [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href')),
    sliderNames: [...document.querySelectorAll('.widget-slider [role=slider]')].map(h => ({
      name: h.getAttribute('aria-label'),
      label: (h.closest('.widget-slider').querySelector('.widget-label') || {}).textContent})),
    widgetImageAlts: [...document.querySelectorAll('.widget-subarea img')].map(i => i.getAttribute('alt')),
  };
}
""".replace("%CONTROLS%", json.dumps(sorted(set(CONTROL_CLASS.values()))))


@dataclass
class PageVisit:
    """What one visit of a page found: problems while loading, the page report and axe-core's results."""

    errors: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    report: dict | None = None
    axe: dict | None = None
    shot: Path | None = None


def visit_page(doc: str, browser_context, site_url: str) -> PageVisit:
    """Open one page, wait until it has settled (MathJax, widgets, images, requests), then take the
    page report, a full-page screenshot, and axe-core's WCAG 2.1 A/AA results."""
    visit = PageVisit()
    page = browser_context.new_page()

    def on_route(route):
        url = route.request.url
        parts = urlsplit(url)
        if parts.scheme in {"data", "blob", "about"} or parts.hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            visit.external.append(url)
            route.abort()

    page.route("**/*", on_route)
    page.on("console", lambda m: m.type == "error" and visit.errors.append(f"console: {m.text} @ {m.location}"))
    page.on("pageerror", lambda e: visit.errors.append(f"uncaught: {e}"))
    page.on(
        "requestfailed",
        lambda r: urlsplit(r.url).hostname in LOCAL_HOSTS and visit.failed.append(f"{r.url}: {r.failure}"),
    )
    page.on("response", lambda r: r.status >= 400 and visit.failed.append(f"{r.url}: HTTP {r.status}"))
    in_flight: set[str] = set()
    page.on("request", lambda r: in_flight.add(r.url))
    page.on("requestfinished", lambda r: in_flight.discard(r.url))
    page.on("requestfailed", lambda r: in_flight.discard(r.url))
    try:
        page.goto(f"{site_url}/{doc}.html", wait_until="load", timeout=120_000)
        if page.locator("div.math, span.math").count():
            page.wait_for_function(
                "() => window.MathJax && MathJax.startup && MathJax.startup.promise", timeout=120_000
            )
            page.evaluate("() => MathJax.startup.promise")
        n_views = page.locator(f'script[type="{WIDGET_VIEW}"]').count()
        if n_views:
            page.wait_for_function(
                "n => document.querySelectorAll('.widget-subarea .jupyter-widgets').length >= n",
                arg=n_views,
                timeout=120_000,
            )
        # Lazy images load only when near the viewport: make them eager, then wait for all of them.
        page.evaluate("() => document.querySelectorAll('img[loading=lazy]').forEach(i => i.loading = 'eager')")
        page.wait_for_function("() => [...document.images].every(i => i.complete)", timeout=120_000)
        # Every request answered (Playwright's "networkidle" proved flaky on a loaded machine).
        for _ in range(240):
            if not in_flight:
                break
            page.wait_for_timeout(500)
        assert not in_flight, f"{doc}: requests still pending after 2 minutes: {sorted(in_flight)}"
        page.wait_for_timeout(500)  # let late scripts (e.g. widget typesetting) report their errors
        visit.report = page.evaluate(PAGE_REPORT_JS)
        visit.shot = ARTEFACTS / (doc.replace("/", "__") + ".png")
        page.screenshot(path=str(visit.shot), full_page=True)
        visit.axe = run_axe(page)
    finally:
        page.close()
    return visit


@pytest.fixture(scope="module")
def visited(browser_context, site_url, built_site):
    """Each page is opened once; the page test and the accessibility test share the visit."""
    visits: dict[str, PageVisit] = {}

    def get(doc: str) -> PageVisit:
        if doc not in visits:
            html_file = built_site / f"{doc}.html"
            assert html_file.is_file(), f"{doc} is in _toc.yml but {html_file} was not built"
            visits[doc] = visit_page(doc, browser_context, site_url)
        return visits[doc]

    return get


@pytest.mark.parametrize("doc", DOCUMENTS)
def test_page_in_browser(doc, visited):
    visit = visited(doc)
    errors, external, failed, report, shot = visit.errors, visit.external, visit.failed, visit.report, visit.shot
    assert not errors, f"{doc}: console errors:\n" + "\n".join(errors)
    assert not external, f"{doc}: requests to other hosts (the book must work offline):\n" + "\n".join(external)
    assert not failed, f"{doc}: failed requests:\n" + "\n".join(failed)
    broken = [i["src"] for i in report["images"] if not i["ok"]]
    assert not broken, f"{doc}: images that did not load: {broken}"

    # Maths: every math node typeset by MathJax, no TeX left in the text.
    assert not report["unrendered"], f"{doc}: equations MathJax did not render: {report['unrendered']}"
    assert report["mjx"] >= report["maths"]
    assert not report["rawMath"], f"{doc}: raw TeX left in the page: {report['rawMath']}"
    assert report["unnumberedEquations"] == 0, f"{doc}: labelled equations without a number"
    assert report["unnumberedFigures"] == 0, f"{doc}: figure captions without a number"

    # Widgets: as many views as the executed notebook displays, each rendered from the saved state.
    expected_views = executed_widget_views(doc)
    assert expected_views is not None, f"{doc}: no executed copy in _build/.jupyter_cache (stale build?)"
    assert len(report["views"]) == expected_views, (
        f"{doc}: the executed notebook displays {expected_views} widgets, the page has {len(report['views'])}"
    )
    if expected_views:
        assert report["state"], f"{doc}: widgets displayed but no saved widget state in the page"
        for i, view in enumerate(report["views"]):
            assert view["rendered"] and view["widgets"] > 0 and view["height"] > 20, (
                f"{doc}: widget {i} did not render: {view}"
            )
            assert view["fallback"], f"{doc}: widget {i} has no static figure beside it"
        needed: dict[str, int] = {}
        for name in displayed_models(report["state"], report["viewIds"]):
            if name in CONTROL_CLASS:
                needed[CONTROL_CLASS[name]] = needed.get(CONTROL_CLASS[name], 0) + 1
        for css, count in needed.items():
            assert report["controls"][css] >= count, (
                f"{doc}: {count} {css} controls in the saved state, {report['controls'][css]} rendered"
            )

    # Widget controls and images have text for assistive technology (book/_static/widgets-offline.js):
    # each slider handle is named after its widget's description, each image says what was drawn.
    for slider in report["sliderNames"]:
        assert slider["name"] and slider["name"].startswith((slider["label"] or "").strip() or "value"), (
            f"{doc}: a slider handle is named {slider['name']!r}, its widget's description is {slider['label']!r}"
        )
    for alt in report["widgetImageAlts"]:
        assert alt and alt.startswith("Plot drawn by the interactive widget") and "null" not in alt, (
            f"{doc}: a widget image's alt text is {alt!r}"
        )

    # Solutions collapsed; notebook pages offer the .ipynb download and the launch buttons.
    assert report["openSolutions"] == 0, f"{doc}: {report['openSolutions']} hide-input cells are not collapsed"
    if is_notebook(doc):
        links = report["links"]
        assert any(h.endswith(".ipynb") and "_sources" in h for h in links), f"{doc}: no .ipynb download link"
        assert any("mybinder.org" in h for h in links), f"{doc}: no Binder launch button"
        assert any("colab.research.google.com" in h for h in links), f"{doc}: no Colab launch button"
    assert shot.stat().st_size > 0


@pytest.mark.parametrize("doc", DOCUMENTS)
def test_page_accessibility(doc, visited):
    """axe-core finds no WCAG 2.1 A or AA violation on the page (as loaded, widgets and equations rendered)."""
    visit = visited(doc)
    assert visit.axe is not None, f"axe-core is not installed ({AXE_JS} missing): run scripts/install_web_assets.sh"
    save_report(doc, visit.axe)
    violations = visit.axe["violations"]
    assert not violations, (
        f"{doc}: axe-core {visit.axe['engine']} found {len(violations)} {'/'.join(WCAG_TAGS)} violations "
        f"(details in _build/browser/axe/):\n" + describe_violations(visit.axe)
    )


def test_toc_lists_every_built_chapter():
    """Guard against the page discovery silently finding nothing."""
    assert DOCUMENTS and DOCUMENTS[0], "no documents found in _toc.yml"
    assert any(is_notebook(d) for d in DOCUMENTS), "no notebook chapter in _toc.yml"
