"""axe-core (the WCAG rules engine, pinned in package.json and installed from npm by
scripts/install_web_assets.sh) run inside a page opened by the browser test.

The script is read from node_modules/ and injected into the page by Playwright: no request leaves the
machine, and the published book does not carry a testing tool. Each page is checked in the theme's light
and dark colour modes (switched in place, without reloading). Results are kept per page in
_build/browser/axe/<page>.json, and a summary of every page checked is in _build/browser/axe-report.json.
"""

from __future__ import annotations

import json

from book_site import ARTEFACTS, ROOT

AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
REPORTS = ARTEFACTS / "axe"
SUMMARY = ARTEFACTS / "axe-report.json"

RUN_AXE_JS = r"""
async ([tags, themes]) => {
  // Each of the theme's colour modes in turn (pydata-sphinx-theme switches by <html data-theme>).
  const html = document.documentElement, initial = html.dataset.theme;
  const slim = (theme) => (rule) => ({
    id: rule.id, impact: rule.impact, theme: theme, help: rule.help, helpUrl: rule.helpUrl, tags: rule.tags,
    nodes: rule.nodes.map(n => ({target: n.target, html: n.html.slice(0, 300), failureSummary: n.failureSummary})),
  });
  const report = {engine: axe.version, url: location.href, tags: tags, themes: themes, violations: [], incomplete: []};
  try {
    for (const theme of themes) {
      html.dataset.theme = theme;
      const results = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
      report.violations.push(...results.violations.map(slim(theme)));
      report.incomplete.push(...results.incomplete.map(r => ({id: r.id, impact: r.impact, theme: theme,
        nodes: r.nodes.length, targets: r.nodes.slice(0, 3).map(n => n.target)})));
    }
  } finally {
    if (initial === undefined) { delete html.dataset.theme; } else { html.dataset.theme = initial; }
  }
  return report;
}
"""
THEMES = ["light", "dark"]


def run_axe(page) -> dict | None:
    """axe-core's WCAG 2.1 A/AA results for the page as it is now, in the light and the dark theme;
    None if axe-core is not installed."""
    if not AXE_JS.is_file():
        return None
    page.add_script_tag(path=str(AXE_JS))
    return page.evaluate(RUN_AXE_JS, [WCAG_TAGS, THEMES])


def save_report(doc: str, results: dict) -> None:
    """Write the page's results and merge its per-rule counts into the summary of all pages."""
    REPORTS.mkdir(parents=True, exist_ok=True)
    (REPORTS / (doc.replace("/", "__") + ".json")).write_text(json.dumps(results, indent=1))
    summary = json.loads(SUMMARY.read_text()) if SUMMARY.is_file() else {}
    summary[doc] = {
        "engine": results["engine"],
        "violations": {
            f"{v['id']} ({v['theme']})": {"impact": v["impact"], "nodes": len(v["nodes"])}
            for v in results["violations"]
        },
    }
    SUMMARY.write_text(json.dumps(dict(sorted(summary.items())), indent=1))


def describe_violations(results: dict, max_nodes: int = 3) -> str:
    """One line per rule and theme (id, impact, node count, what it asks for), then a few nodes' selectors."""
    lines = []
    for rule in results["violations"]:
        lines.append(
            f"  {rule['id']} ({rule['impact']}, {rule['theme']} theme, {len(rule['nodes'])} nodes): {rule['help']}"
        )
        for node in rule["nodes"][:max_nodes]:
            lines.append(f"      {' > '.join(map(str, node['target']))}")
        if len(rule["nodes"]) > max_nodes:
            lines.append(f"      ... and {len(rule['nodes']) - max_nodes} more")
    return "\n".join(lines)
