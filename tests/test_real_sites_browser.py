"""In Chromium, the plugin's CSS leaves the site's own pages as they were, on screen and on
paper: every computed style (pseudo-elements included) of every element of a plain page of
the site is the same with and without the plugin."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from realsites import copy_site
from sitebuild import run_build

pytest_plugins = ["browser"]
pytestmark = [pytest.mark.compat, pytest.mark.browser, pytest.mark.slow]

# Every element but scripts and links (the plugin adds some) with its computed style and
# that of its ::before and ::after: a hash of it (the full text when `full` is set).
STYLES = """(full) => {
  const text = (cs) => Array.from(cs, (n) => n + ':' + cs.getPropertyValue(n)).join(';');
  const hash = (s) => { let h = 2166136261; for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i); h = Math.imul(h, 16777619); } return (h >>> 0).toString(16); };
  const out = [];
  for (const el of [document.documentElement, ...document.body.querySelectorAll('*')]) {
    if (['SCRIPT', 'LINK', 'STYLE', 'META'].includes(el.tagName)) continue;
    const name = el.tagName + '.' + (el.getAttribute('class') || '');
    for (const pseudo of [null, '::before', '::after']) {
      const t = text(getComputedStyle(el, pseudo));
      out.push(name + (pseudo || '') + ' ' + (full ? t : hash(t)));
    }
  }
  return out;
}"""

PAGE = "tutorials/first-app/"


def styles(page: Any, url: str, media: str, full: bool = False) -> list[str]:
    page.emulate_media(media=media)
    page.goto(url)
    page.wait_for_load_state("networkidle")
    result: list[str] = page.evaluate(STYLES, full)
    return result


def difference(page: Any, urls: tuple[str, str], media: str) -> str:
    """The first element whose style differs, and the properties that differ."""
    a, b = (styles(page, url, media, full=True) for url in urls)
    for x, y in zip(a, b, strict=False):
        if x != y:
            left, right = (
                dict(p.split(":", 1) for p in z.split(" ", 1)[1].split(";") if ":" in p)
                for z in (x, y)
            )
            keys = left.keys() | right.keys()
            changed = {k: (left.get(k), right.get(k)) for k in keys if left.get(k) != right.get(k)}
            return f"{x.split(' ', 1)[0]}: {changed}"
    return f"{len(a)} elements against {len(b)}"


@pytest.mark.parametrize("name", ["explicit-nav", "mkdocs-theme"])
def test_site_pages_keep_their_computed_styles(
    tmp_path: Path, name: str, page: Any, serve: Any, console: Any
) -> None:
    without = run_build(copy_site(name, tmp_path / "without"))
    # nav: off keeps the nav's elements the same, so every element has its twin.
    with_ = run_build(copy_site(name, tmp_path / "with", plugin={"nav": "off"}))
    assert not without.aborted and not with_.aborted
    css = (with_.site_dir / "assets/runbooks/print.css").read_text(encoding="utf-8")
    assert "@media print" in css
    with serve(without.site_dir) as base_without, serve(with_.site_dir) as base_with:
        urls = (base_without + PAGE, base_with + PAGE)
        for media in ("screen", "print"):
            before, after = (styles(page, url, media) for url in urls)
            assert len(before) > 300
            if after != before:
                pytest.fail(f"{media}: {difference(page, urls, media)}")
        # The plugin's own page does get its print styles (the check above is not empty).
        plan = base_with + "plans/checkout-api/2026-11-20-2.10/"
        page.emulate_media(media="print")
        page.goto(plan)
        assert page.evaluate("getComputedStyle(document.body).page") == "runbook"
    # (The mkdocs theme's highlight.js comes from a CDN, which tests never reach.)
    assert [e for e in console.errors if "hljs" not in e] == []
