"""The runbook page as the on-call engineer sees it (issue 18), measured in Chromium.

The repository's own site (mkdocs.yml, plans/, docs/) is built once into a temporary
folder and served on 127.0.0.1; Playwright drives Debian's chromium (tests/browser.py).
Sizes: a desktop (1440x900) and a phone (390x844). Figures measured are printed (run with
``-s`` to see them).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config

from sitebuild import ROOT, build_site, plan_commands, spec_text

pytest_plugins = ["browser"]
pytestmark = pytest.mark.browser

DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}
SIZES = {"desktop": DESKTOP, "phone": PHONE}
# First step's command within this many viewport heights from the top of the page.
FIRST_COMMAND = {"desktop": 1.5, "phone": 3.0}
PLAN_FILES = sorted((ROOT / "plans").glob("*/*/deployment-plan.yaml"))
PLAN_URLS = [f"plans/{p.parent.parent.name}/{p.parent.name}/" for p in PLAN_FILES]


@pytest.fixture(scope="module")
def portal(tmp_path_factory: pytest.TempPathFactory, serve: Any) -> Iterator[str]:
    """The repository's example portal, built with its own mkdocs.yml, served."""
    site = tmp_path_factory.mktemp("portal") / "site"
    build(load_config(str(ROOT / "mkdocs.yml"), site_dir=str(site)))
    with serve(site) as url:
        yield url


def new_page(browser: Any, base: str, size: dict[str, int], scheme: str = "light") -> Any:
    ctx = browser.new_context(viewport=size, locale="en-GB", color_scheme=scheme)
    ctx.set_default_timeout(30_000)  # a loaded 2-core CI machine, two workers
    ctx.route(lambda url: not url.startswith(base), lambda r: r.fulfill(status=204, body=""))
    return ctx.new_page()


def top(page: Any, selector: str) -> float:
    """Distance in CSS px from the top of the document to the element's top."""
    return float(
        page.eval_on_selector(selector, "e => e.getBoundingClientRect().top + window.scrollY")
    )


def bottom(page: Any, selector: str) -> float:
    return float(
        page.eval_on_selector(selector, "e => e.getBoundingClientRect().bottom + window.scrollY")
    )


# --- point 4: what the first screen shows, and the way to the rollback ------------------


def test_no_page_scrolls_sideways_on_a_phone(browser: Any, portal: str) -> None:
    """Every plan page, the plan index, a service page and the Insights page fit a phone:
    the verdict banner's lines wrap (no style of another page's element keeps them on one)."""
    page = new_page(browser, portal, PHONE)
    for url in [*PLAN_URLS, "plans/", "plans/checkout-api/", "insights/"]:
        page.goto(portal + url)
        page.wait_for_load_state("load")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], (url, width)
    page.context.close()


@pytest.mark.parametrize("size", list(SIZES))
def test_first_screen_and_first_command(browser: Any, portal: str, size: str) -> None:
    vh = SIZES[size]["height"]
    page = new_page(browser, portal, SIZES[size])
    figures = []
    for url in PLAN_URLS:
        page.goto(portal + url)
        page.wait_for_selector(".rb-progress-all:not([hidden])")
        banner = bottom(page, ".rb-verdict .rb-verdict-title")
        owner = bottom(page, ".rb-if-wrong .rb-card-owner strong")
        assert banner <= vh, (url, size, banner)
        assert owner <= vh, (url, size, owner)
        first = top(page, ".rb-phase-title ~ .rb-step .rb-code")
        assert first <= FIRST_COMMAND[size] * vh, (url, size, first)
        figures.append((url, round(banner), round(owner), round(first), round(first / vh, 2)))
    print(f"\n{size} {SIZES[size]}: url, banner bottom, owner bottom, first command top (px, vh)")
    for row in figures:
        print("  ", *row)
    page.context.close()


ROLLBACK_LINK_VISIBLE = """() => {
  const vw = window.innerWidth, vh = window.innerHeight;
  // Material's instant navigation makes the page's anchors absolute: match the ending.
  const links = 'a.rb-jump[href$="#rollback"], a.rb-card-link[href$="#rollback"]';
  return [...document.querySelectorAll(links)].some(a => {
    const r = a.getBoundingClientRect();
    if (r.width === 0 || r.top < 0 || r.left < 0 || r.bottom > vh || r.right > vw) return false;
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return hit !== null && (hit === a || a.contains(hit));
  });
}"""


@pytest.mark.parametrize("size", list(SIZES))
def test_rollback_link_in_reach_at_any_scroll(browser: Any, portal: str, size: str) -> None:
    page = new_page(browser, portal, SIZES[size])
    page.goto(portal + "plans/checkout-api/2026-12-08-2.11/")
    page.wait_for_selector(".rb-progress-all:not([hidden])")
    height = page.evaluate("document.documentElement.scrollHeight - window.innerHeight")
    positions = sorted({*range(0, height, SIZES[size]["height"] // 2), height})
    for y in positions:
        page.evaluate(f"window.scrollTo(0, {y})")
        page.wait_for_timeout(30)
        assert page.evaluate(ROLLBACK_LINK_VISIBLE), (size, y)
    print(f"\n{size}: rollback link visible at {len(positions)} scroll positions, 0..{height} px")
    # The link leads to the rollback section.
    page.evaluate("window.scrollTo(0, 0)")
    page.click("a.rb-jump")
    page.wait_for_timeout(300)
    assert abs(page.eval_on_selector("#rollback", "e => e.getBoundingClientRect().top")) < 200
    page.context.close()


TOC_CLEAR_OF_BUTTON = """() => {
  // Scroll the table of contents to its end: its last entry must not be under the button.
  const wrap = document.querySelector('.md-sidebar--secondary .md-sidebar__scrollwrap');
  if (!wrap) return 'no table of contents';
  wrap.scrollTop = wrap.scrollHeight;
  const links = [...wrap.querySelectorAll('a.md-nav__link')].filter(a => a.offsetParent);
  const last = links[links.length - 1];
  const a = last.getBoundingClientRect();
  const b = document.querySelector('a.rb-jump').getBoundingClientRect();
  const overlap = a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  return overlap ? `last entry ${JSON.stringify(a)} under the button ${JSON.stringify(b)}` : '';
}"""


def test_rollback_button_leaves_the_table_of_contents_readable(browser: Any, portal: str) -> None:
    """On a desktop, the floating Rollback button sits over the corner where the table of
    contents ends: the last entry must still scroll clear of it."""
    page = new_page(browser, portal, {"width": 1280, "height": 600})
    page.goto(portal + "plans/checkout-api/2026-12-08-2.11/")
    page.wait_for_selector(".rb-progress-all:not([hidden])")
    for y in (0, 2000, 100_000):
        page.evaluate(f"window.scrollTo(0, {y})")
        page.wait_for_timeout(50)
        assert page.evaluate(TOC_CLEAR_OF_BUTTON) == "", y
    page.context.close()


# --- point 5: phones --------------------------------------------------------------------


def test_no_command_scrolls_sideways_on_a_phone_and_text_is_exact(
    browser: Any, portal: str
) -> None:
    page = new_page(browser, portal, PHONE)
    wide = 0
    for url, path in zip(PLAN_URLS, PLAN_FILES, strict=True):
        page.goto(portal + url)
        page.wait_for_selector(".rb-progress-all:not([hidden])")
        blocks = page.eval_on_selector_all(
            "div.rb-code:not(.rb-code-card) pre",
            "ps => ps.map(p => [p.scrollWidth - p.clientWidth, p.querySelector('code').textContent,"
            " p.getBoundingClientRect().right])",
        )
        expected = plan_commands(yaml.safe_load(path.read_text(encoding="utf-8")))
        assert [text for _, text, _ in blocks] == expected, url
        for overflow, text, right in blocks:
            assert overflow <= 0, (url, text[:60])
            assert right <= PHONE["width"], (url, text[:60])
            wide += max(len(line) for line in text.splitlines() or [""]) > 45
    assert wide > 10  # long commands were there to wrap
    page.context.close()


def test_copied_command_is_byte_exact(browser: Any, portal: str) -> None:
    """Material's copy button, on a phone, copies the wrapped command as written."""
    page = new_page(browser, portal, PHONE)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=portal[:-1])
    page.goto(portal + "plans/checkout-api/2026-12-08-2.11/")
    page.wait_for_selector(".rb-progress-all:not([hidden])")
    plan = yaml.safe_load(
        (ROOT / "plans/checkout-api/2026-12-08-2.11/deployment-plan.yaml").read_text()
    )
    command = plan["phases"][2]["steps"][1]["command"]  # k6 run ... with many flags
    block = page.locator("div.rb-code:not(.rb-code-card)", has_text="k6 run").first
    lines = block.locator("code").evaluate(
        "c => Math.round(c.getBoundingClientRect().height"
        " / parseFloat(getComputedStyle(c).lineHeight))"
    )
    assert lines > len(command.splitlines())  # it wraps on a phone
    block.hover()
    block.locator("button.rb-copy").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.rstrip("\n") == command.rstrip("\n")
    page.context.close()


@pytest.mark.parametrize("size", list(SIZES))
def test_tables_stack_under_600px_and_identifiers_stay_whole(
    browser: Any, portal: str, size: str
) -> None:
    page = new_page(browser, portal, SIZES[size])
    page.goto(portal + "plans/checkout-api/2026-12-08-2.11/")
    page.wait_for_selector(".rb-progress-all:not([hidden])")
    display = page.eval_on_selector_all(
        "table.rb-triggers tr, table.rb-roles tr, table.rb-reviewers tr",
        "rows => rows.map(r => getComputedStyle(r).display)",
    )
    assert set(display) == ({"block"} if size == "phone" else {"table-row"})
    idents = page.eval_on_selector_all(
        ".rb-if-wrong code.rb-ident, table.rb-triggers code.rb-ident",
        "cs => cs.filter(c => c.offsetParent !== null)"
        ".map(c => [c.textContent,"
        " new Set([...c.getClientRects()].map(r => Math.round(r.top))).size,"
        " c.getBoundingClientRect().right])",
    )
    assert len(idents) >= 6
    for text, rects, right in idents:
        # One line box on a desktop; on a phone a long one may wrap where the page marked
        # it (after `_`, before `{`): never between two letters of a word.
        assert rects == 1 or (size == "phone" and ("_" in text or "{" in text)), (size, text)
        assert right <= SIZES[size]["width"], (size, text)
    widths = page.eval_on_selector_all(
        "table.rb-triggers tr", "rows => rows.map(r => r.getBoundingClientRect().right)"
    )
    assert max(widths) <= SIZES[size]["width"]
    # The plan index too.
    page.goto(portal + "plans/")
    rows = page.eval_on_selector_all(  # the table of all plans (not the upcoming list)
        "#all-plans ~ table tbody tr, #all-plans ~ * table tbody tr",
        "rows => rows.map(r => [getComputedStyle(r).display, r.getBoundingClientRect().right])",
    )
    assert len(rows) == len(PLAN_FILES)
    assert {d for d, _ in rows} == ({"block"} if size == "phone" else {"table-row"})
    if size == "phone":
        assert max(r for _, r in rows) <= PHONE["width"]
    page.context.close()


# --- point 6: the tick panel ------------------------------------------------------------


def test_progress_counts_the_steps_run_and_says_where_ticks_live(browser: Any, portal: str) -> None:
    page = new_page(browser, portal, DESKTOP)
    page.goto(portal + "plans/checkout-api/2026-12-08-2.11/")
    page.wait_for_selector(".rb-progress-all:not([hidden])")
    plan = yaml.safe_load(
        (ROOT / "plans/checkout-api/2026-12-08-2.11/deployment-plan.yaml").read_text()
    )
    steps = sum(len(p["steps"]) for p in plan["phases"])
    # Migration 0048 is applied by step "migrate-0048": ticked once, on the step.
    assert page.locator('input[data-rb-item^="migration:"]').count() == 0
    text = page.inner_text(".rb-progress-all .rb-progress-text")
    assert text == f"0 of {steps} steps"
    kept = page.inner_text(".rb-progress-all .rb-kept")
    assert "this browser only" in kept and "Copy run record" in kept
    page.context.close()


# --- point 8: accessibility in both schemes ----------------------------------------------

AXE_PAGES = [
    "plans/checkout-api/2026-12-08-2.11/",  # ready
    "plans/checkout-api/2026-04-21-2.10/",  # executed: rolled back
    "plans/report-builder/2027-02-16-7.4.0/",  # not approved
    "plans/",
    "plans/checkout-api/",
    "patterns/canary/",
]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("url", AXE_PAGES)
def test_no_serious_accessibility_violation(
    browser: Any, portal: str, url: str, scheme: str
) -> None:
    axe_sync = pytest.importorskip("axe_playwright_python.sync_playwright")
    page = new_page(browser, portal, DESKTOP, scheme=scheme)
    page.goto(portal + url)
    page.wait_for_load_state("load")
    wanted = "slate" if scheme == "dark" else "default"
    assert page.get_attribute("body", "data-md-color-scheme") == wanted
    # Material's own search dialog, footer and Pygments colours (in the pattern pages' own
    # Markdown) are the theme's, not the plugin's: they are left out of the check.
    context = {"exclude": [[".md-search"], [".md-footer"], [".highlight"]]}
    results = axe_sync.Axe().run(page, context=context)
    bad = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:5])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert bad == [], bad
    page.context.close()


# --- point 9: print --------------------------------------------------------------------


def test_print_banner_and_card_first_errors_apart_in_black_and_white(
    browser: Any, tmp_path: Path, serve: Any
) -> None:
    text = spec_text("example").replace("status: completed ", "status: approved ", 1)
    text = text.split("\noutcome:")[0].replace("phase: migrate", "phase: contract", 1) + "\n"
    # Without a backup step and a rollback plan, irreversible 0043 also gets RB302, a warning.
    text = re.sub(r"(?m)^  rollback_plan: \|.*\n(    .*\n)+", "", text, count=1)
    text = text.replace("id: backup ", "id: prepare ", 1)
    text = text.replace("title: Back up the payments database", "title: Prepare", 1)
    dump = 'pg_dump --format=custom --file=/backups/checkout-2.10.dump "$DB_URL"'
    text = text.replace(dump, "true")
    site = build_site(tmp_path, {"checkout-api/x": text}, config={"theme": "material"})
    assert not site.aborted, site.warnings
    with serve(site.site_dir) as base:
        page = new_page(browser, base, DESKTOP)
        page.goto(base + "plans/checkout-api/x/")
        page.wait_for_selector(".rb-progress-all:not([hidden])")
        page.emulate_media(media="print")
        page.wait_for_timeout(500)  # Material's colour transitions on links
        order = [
            top(page, sel)
            for sel in (".rb-verdict", ".rb-if-wrong", ".rb-header", ".rb-phase-title")
        ]
        assert order == sorted(order)
        assert page.is_hidden("a.rb-jump") and page.is_hidden(".rb-print-first")
        style = """e => { const s = getComputedStyle(e), b = getComputedStyle(e, '::before');
          return [s.color, s.textDecorationLine, s.textDecorationStyle, s.fontWeight,
                  b.content]; }"""
        error = page.eval_on_selector(".rb-if-wrong .rb-finding-error", style)
        warning = page.eval_on_selector(".rb-if-wrong .rb-finding-warning", style)
        # Black and white: same colour, told apart by mark, weight and underline.
        assert error[0] == warning[0]
        assert all(int(c) < 40 for c in re.findall(r"\d+", error[0])[:3]), error[0]
        assert error[4] != warning[4] and error[1:4] != warning[1:4]
        border = page.eval_on_selector(".rb-verdict", "e => getComputedStyle(e).borderTopStyle")
        assert border == "double"
        page.context.close()
