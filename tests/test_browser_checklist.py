"""Tick boxes, progress, run record and print layout of runbook pages, in a real browser.

Real MkDocs + Material builds in tmp_path, served over HTTP on 127.0.0.1 and driven with
Playwright through Debian's chromium (see browser.py; no browser is downloaded).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sitebuild import Site, build_site, spec_text

pytest_plugins = ["browser"]
pytestmark = pytest.mark.browser

EXAMPLE = "plans/checkout-api/2026-11-20-2.10/"
MINIMAL = "plans/billing-worker/2026-12-01-4.2.0/"
EXAMPLE_PLAN = "plans/checkout-api/2026-11-20-2.10/index.md"
MINIMAL_PLAN = "plans/billing-worker/2026-12-01-4.2.0/index.md"
KEY = "mkdocs-runbooks/v1/"


def key_of(plan: str) -> str:
    """The storage key of a plan page: the page's full URL path (server root here)."""
    return KEY + "/" + plan.removesuffix("index.md")


def both_plans(example: str | None = None) -> dict[str, str]:
    """The contract's two sample plans (read when a test runs, not at collection)."""
    return {
        "checkout-api/2026-11-20-2.10": example or spec_text("example"),
        "billing-worker/2026-12-01-4.2.0": spec_text("minimal"),
    }


# No web fonts (no network in tests); instant navigation as most portals use it.
MATERIAL = {
    "name": "material",
    "font": False,
    "features": ["navigation.instant"],
}
ISO = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z"


# The two plans side by side in the navigation, whatever sections the plugin makes.
NAV = [
    {"Home": "index.md"},
    {"Checkout 2.10": EXAMPLE_PLAN},
    {"Billing 4.2.0": MINIMAL_PLAN},
]


def build(
    root: Path, plans: dict[str, str] | None = None, theme: Any = None, site_url: str = ""
) -> Site:
    config = {"theme": theme or MATERIAL, "nav": NAV}
    if site_url:
        config["site_url"] = site_url
    site = build_site(root, plans or both_plans(), config=config, strict=True)
    assert not site.aborted, site.warnings
    return site


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory, serve: Any) -> Iterator[str]:
    """URL of a site with both plans. Material's instant navigation only takes links found
    in sitemap.xml, whose addresses keep site_url's port: so the server starts first and
    the site is built with its address as site_url."""
    root = tmp_path_factory.mktemp("checklist")
    (root / "site").mkdir()
    with serve(root / "site") as url:
        build(root, site_url=url)
        yield url


def box(page: Any, item: str) -> Any:
    return page.locator(f'input[data-rb-item="{item}"]')


def check_box(page: Any, text: str) -> Any:
    """The tick box of the checklist item shown as ``text`` (ids are hashes)."""
    return (
        page.locator("ul.rb-checklist li")
        .filter(has=page.locator(f'.rb-check-text:text-is("{text}")'))
        .locator("input[data-rb-item]")
    )


def open_plan(page: Any, url: str) -> None:
    page.goto(url)
    page.wait_for_selector(".rb-progress-all .rb-controls")


def stored(page: Any, plan: str = EXAMPLE_PLAN) -> dict[str, Any]:
    raw = page.evaluate("key => localStorage.getItem(key)", key_of(plan))
    return json.loads(raw) if raw else {}


def overall(page: Any) -> str:
    return page.locator(".rb-progress-all .rb-progress-text").inner_text()


def phase(page: Any, name: str) -> str:
    return page.locator(f'[data-rb-progress="phase-{name}"]').inner_text()


def test_tick_survives_reload(page: Any, base: str, console: Any) -> None:
    open_plan(page, base + EXAMPLE)
    assert not box(page, "step:backup").is_checked()
    box(page, "step:backup").check()
    box(page, "migration:0043").check()
    state = stored(page)
    assert set(state["items"]) == {"step:backup", "migration:0043"}
    assert re.fullmatch(ISO, state["items"]["step:backup"]["t"])

    page.reload()
    page.wait_for_selector(".rb-controls")
    assert box(page, "step:backup").is_checked()
    assert box(page, "migration:0043").is_checked()
    assert not box(page, "step:health-before").is_checked()
    box(page, "step:backup").uncheck()
    page.reload()
    page.wait_for_selector(".rb-controls")
    assert not box(page, "step:backup").is_checked()
    assert box(page, "migration:0043").is_checked()
    assert console.errors == []


def test_another_plan_is_unaffected(page: Any, base: str, console: Any) -> None:
    open_plan(page, base + EXAMPLE)
    box(page, "step:backup").check()
    open_plan(page, base + MINIMAL)
    boxes = page.locator("input[data-rb-item]")
    assert boxes.count() == 2
    assert all(not boxes.nth(i).is_checked() for i in range(boxes.count()))
    assert overall(page) == "0 of 1 steps"
    box(page, "step:roll-out-4-2-0").check()
    assert list(stored(page, MINIMAL_PLAN)["items"]) == ["step:roll-out-4-2-0"]
    open_plan(page, base + EXAMPLE)
    assert box(page, "step:backup").is_checked()
    assert list(stored(page)["items"]) == ["step:backup"]
    assert console.errors == []


def test_another_tab_follows(page: Any, context: Any, base: str, console: Any) -> None:
    open_plan(page, base + EXAMPLE)
    other = context.new_page()
    console.watch(other)
    open_plan(other, base + EXAMPLE)
    box(other, "step:smoke").check()
    page.wait_for_function("""document.querySelector('[data-rb-item="step:smoke"]').checked""")
    assert overall(page) == "1 of 8 steps"
    other.close()
    assert console.errors == []


def test_reset_clears_this_plan_only(page: Any, base: str, console: Any) -> None:
    open_plan(page, base + MINIMAL)
    page.locator("input[data-rb-item]").first.check()
    open_plan(page, base + EXAMPLE)
    box(page, "step:backup").check()
    check_box(page, "No ongoing incidents").check()

    # Declining the confirmation keeps everything.
    messages: list[str] = []

    def decline(dialog: Any) -> None:
        messages.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", decline)
    page.get_by_role("button", name="Reset ticks").click()
    assert messages and "Clear all ticks of this plan" in messages[0]
    assert box(page, "step:backup").is_checked()

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Reset ticks").click()
    assert page.locator("input[data-rb-item]:checked").count() == 0
    assert overall(page) == "0 of 8 steps"
    assert stored(page) == {}
    assert "cleared" in page.locator(".rb-status-msg").inner_text()
    page.reload()
    page.wait_for_selector(".rb-controls")
    assert page.locator("input[data-rb-item]:checked").count() == 0

    open_plan(page, base + MINIMAL)
    assert page.locator("input[data-rb-item]").first.is_checked()
    assert console.errors == []


def test_changed_item_loses_its_tick_and_is_flagged(
    page: Any, tmp_path: Path, console: Any, serve: Any
) -> None:
    site = build(tmp_path)
    old_hash = re.search(r'data-rb-item="step:backup" data-rb-hash="(\w+)"', site.page(EXAMPLE))
    with serve(site.site_dir) as url:
        open_plan(page, url + EXAMPLE)
        box(page, "step:backup").check()
        box(page, "step:health-before").check()
        assert page.locator(".rb-changed-notice").count() == 0

        changed = spec_text("example").replace("--format=custom", "--format=directory")
        assert changed != spec_text("example")
        site = build(tmp_path, both_plans(changed))
        new_hash = re.search(r'data-rb-item="step:backup" data-rb-hash="(\w+)"', site.page(EXAMPLE))
        assert old_hash and new_hash and old_hash[1] != new_hash[1]

        page.reload()
        page.wait_for_selector(".rb-controls")
        assert not box(page, "step:backup").is_checked()
        assert box(page, "step:health-before").is_checked()
        flag = page.locator('[data-rb-step="backup"] .rb-changed-flag')
        assert flag.is_visible()
        assert page.locator('[data-rb-step="health-before"] .rb-changed-flag').count() == 0
        notice = page.locator(".rb-changed-notice")
        assert notice.is_visible()
        assert "1.1 Back up the payments database" in notice.inner_text()
        assert notice.locator("a").get_attribute("href") == "#step-backup"
        assert "Confirm production is healthy" not in notice.inner_text()
        state = stored(page)
        assert list(state["items"]) == ["step:health-before"]
        assert [c["id"] for c in state["changed"]] == ["step:backup"]
        assert overall(page) == "1 of 8 steps"

        # The notice stays until dismissed, also after another reload.
        page.reload()
        page.wait_for_selector(".rb-changed-notice")
        # Ticking the changed item again clears its flag.
        box(page, "step:backup").check()
        assert flag.count() == 0
        assert page.locator(".rb-changed-notice").count() == 0
        assert stored(page)["items"]["step:backup"]["h"] == new_hash[1]
    assert console.errors == []


def test_dismiss_changed_notice(page: Any, base: str, console: Any) -> None:
    page.goto(base + EXAMPLE)
    # A tick stored by an older version of the plan, and one of an item that is gone.
    page.evaluate(
        """([key]) => localStorage.setItem(key, JSON.stringify({v: 1, changed: [], items: {
            'step:backup': {h: 'old', t: '2026-11-20T21:00:00.000Z', l: '1.1 Old backup'},
            'step:gone': {h: 'x', t: '2026-11-20T21:05:00.000Z', l: '9.9 <b>Removed</b> step'},
            'step:smoke': {h: document.querySelector('[data-rb-item="step:smoke"]')
                              .dataset.rbHash, t: '2026-11-20T21:10:00.000Z', l: '4.1'}}}))""",
        [key_of(EXAMPLE_PLAN)],
    )
    page.reload()
    notice = page.locator(".rb-changed-notice")
    notice.wait_for()
    text = notice.inner_text()
    assert "1.1 Back up the payments database" in text
    assert "9.9 <b>Removed</b> step" in text  # plan text is shown as text, never as HTML
    assert "no longer in the plan" in text
    assert notice.locator("b").count() == 0
    assert box(page, "step:smoke").is_checked()
    notice.get_by_role("button", name="Dismiss").click()
    assert page.locator(".rb-changed-notice").count() == 0
    page.reload()
    page.wait_for_selector(".rb-controls")
    assert page.locator(".rb-changed-notice").count() == 0
    assert page.locator(".rb-changed-flag").count() == 0
    assert box(page, "step:smoke").is_checked()
    assert console.errors == []


def test_progress_counts_update(page: Any, base: str, console: Any) -> None:
    open_plan(page, base + EXAMPLE)
    progress = page.locator('[data-rb-progress="all"]')
    assert progress.is_visible()
    # 7 phase steps and migration 0043, which no step applies (0042 is ticked on its step,
    # "Apply migration 0042"); rollback steps and checklists are not counted.
    assert overall(page) == "0 of 8 steps"
    assert progress.locator(".rb-progress-checks").inner_text() == "0 of 5 checklist items"
    assert phase(page, "pre-deployment") == "0 of 2 steps"
    assert phase(page, "application-deployment") == "0 of 2 steps"
    assert phase(page, "monitoring") == "0 of 1 steps"

    box(page, "step:backup").check()
    assert phase(page, "pre-deployment") == "1 of 2 steps"
    assert overall(page) == "1 of 8 steps"
    box(page, "step:health-before").check()
    box(page, "migration:0043").check()
    box(page, "step:switch-back").check()  # rollback
    check_box(page, "On-call coverage confirmed").check()
    assert phase(page, "pre-deployment") == "2 of 2 steps"
    assert phase(page, "database-migration") == "0 of 1 steps"
    assert overall(page) == "3 of 8 steps"
    assert progress.locator(".rb-progress-checks").inner_text() == "1 of 5 checklist items"
    assert progress.locator("progress").evaluate("p => [p.value, p.max]") == [3, 8]
    box(page, "step:backup").uncheck()
    assert phase(page, "pre-deployment") == "1 of 2 steps"
    assert overall(page) == "2 of 8 steps"
    assert console.errors == []


def test_run_record(page: Any, context: Any, base: str, console: Any) -> None:
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base.rstrip("/"))
    open_plan(page, base + EXAMPLE)
    box(page, "step:backup").check()
    check_box(page, "On-call coverage confirmed").check()
    record = page.locator("textarea.rb-record")
    assert record.is_hidden()
    page.get_by_role("button", name="Copy run record").click()
    assert record.is_visible()
    assert record.get_attribute("readonly") is not None
    page.wait_for_function("document.querySelector('.rb-status-msg').textContent !== ''")
    text = record.input_value()
    lines = text.splitlines()
    assert lines[0] == "# Run record: Checkout API 2.10 - card vault migration"
    assert f"- Plan: {EXAMPLE_PLAN}" in lines
    assert "- Release: 2.10" in lines
    assert f"- Page: {base}{EXAMPLE}" in lines
    assert "- Progress: 1 of 8 steps" in lines
    assert any(re.fullmatch(rf"- Recorded at: {ISO}", line) for line in lines)
    assert any(
        re.fullmatch(rf"- \[x\] 1\.1 Back up the payments database \(ticked {ISO}\)", line)
        for line in lines
    )
    assert "- [ ] 1.2 Confirm production is healthy" in lines
    assert "- [ ] 0043 Backfill vault\\_token from card\\_number in batches of 10k" in lines
    assert "0042 Add nullable" not in text  # ticked on its step, "Apply migration 0042"
    assert "- [ ] R.1 Switch the load balancer back to blue" in lines
    assert any(
        re.fullmatch(rf"- \[x\] On-call coverage confirmed \(ticked {ISO}\)", x) for x in lines
    )
    assert "## 1. Pre-Deployment" in lines
    assert "## Checklists: T-24 hours" in lines
    assert "## Rollback" in lines
    assert lines.index("## 1. Pre-Deployment") < lines.index("## Rollback")
    assert text.count("- [x]") == 2
    assert text.count("- [") == 7 + 1 + 1 + 5  # migration 0042 is ticked on its step

    assert page.locator(".rb-status-msg").inner_text().startswith("Run record copied")
    assert page.evaluate("navigator.clipboard.readText()") == text
    assert console.errors == []


def test_run_record_without_clipboard(page: Any, base: str, console: Any) -> None:
    # A browser that refuses the clipboard: the record is still shown, selected, to copy.
    page.add_init_script(
        "Object.defineProperty(navigator, 'clipboard', {value: {writeText: () =>"
        " Promise.reject(new Error('denied'))}, configurable: true});"
        "document.execCommand = () => false;"
    )
    open_plan(page, base + MINIMAL)
    page.get_by_role("button", name="Copy run record").click()
    status = page.locator(".rb-status-msg")
    page.wait_for_function("document.querySelector('.rb-status-msg').textContent !== ''")
    assert status.inner_text().startswith("Could not copy")
    record = page.locator("textarea.rb-record")
    assert record.is_visible()
    assert "- Release: 4.2.0" in record.input_value()
    assert page.evaluate("document.activeElement.className") == "rb-record"
    assert console.errors == []


def test_keyboard_space_toggles(page: Any, base: str, console: Any) -> None:
    open_plan(page, base + EXAMPLE)
    target = box(page, "step:deploy-green")
    target.focus()
    page.keyboard.press("Space")
    assert target.is_checked()
    assert phase(page, "application-deployment") == "1 of 2 steps"
    page.keyboard.press("Space")
    assert not target.is_checked()
    page.keyboard.press("Space")
    page.reload()
    page.wait_for_selector(".rb-controls")
    assert box(page, "step:deploy-green").is_checked()
    # The tick box can be reached with Tab from the step above it.
    box(page, "step:migrate-0042").focus()
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.dataset.rbItem || ''") == "step:deploy-green":
            break
    assert page.evaluate("document.activeElement.dataset.rbItem") == "step:deploy-green"
    assert console.errors == []


def arrive(page: Any, base: str, url: str) -> None:
    """Wait until instant navigation has swapped in the page at ``url`` and set it up."""
    page.wait_for_url(base + url)
    page.wait_for_function(
        """(url) => {
            const header = document.querySelector(".rb-header");
            return header && header.dataset.rbPlan === url + "index.md"
                && header.parentElement.querySelector(".rb-controls") !== null;
        }""",
        arg=url,
    )


def test_instant_navigation(page: Any, base: str, console: Any) -> None:
    page.goto(base)
    page.wait_for_load_state("networkidle")  # Material has read sitemap.xml
    page.evaluate("window.__loaded_once = true")
    page.locator(".md-sidebar--primary a.md-nav__link", has_text="Checkout 2.10").click()
    arrive(page, base, EXAMPLE)
    assert page.evaluate("window.__loaded_once") is True, "Material's instant navigation"
    box(page, "step:backup").check()

    page.locator(".md-sidebar--primary a.md-nav__link", has_text="Billing 4.2.0").click()
    arrive(page, base, MINIMAL)
    assert page.evaluate("window.__loaded_once") is True
    assert overall(page) == "0 of 1 steps"
    box(page, "step:roll-out-4-2-0").check()
    assert overall(page) == "1 of 1 steps"

    for _ in range(3):
        page.go_back()
        arrive(page, base, EXAMPLE)
        page.go_forward()
        arrive(page, base, MINIMAL)
    assert page.evaluate("window.__loaded_once") is True
    assert page.locator(".rb-controls").count() == 1
    assert overall(page) == "1 of 1 steps"

    page.go_back()
    arrive(page, base, EXAMPLE)
    assert page.locator(".rb-controls").count() == 1
    assert page.locator(".rb-signoff").count() == page.locator(".rb-step").count()
    assert page.locator(".rb-print-first").count() == 1
    assert box(page, "step:backup").is_checked()
    # One click, one toggle: the listeners were not added twice.
    box(page, "step:smoke").click()
    assert box(page, "step:smoke").is_checked()
    assert overall(page) == "2 of 8 steps"
    assert set(stored(page)["items"]) == {"step:backup", "step:smoke"}
    page.get_by_role("button", name="Copy run record").click()
    assert page.locator("textarea.rb-record").is_visible()
    assert page.evaluate("document.querySelectorAll('#rb-runbooks-js-style').length") == 1
    assert console.errors == []


def test_default_theme_without_document_observable(tmp_path: Path, page: Any, serve: Any) -> None:
    site = build(tmp_path, theme={"name": "mkdocs"})
    with serve(site.site_dir) as url:
        open_plan(page, url + EXAMPLE)
        assert page.evaluate("typeof window.document$") == "undefined"
        box(page, "step:backup").check()
        assert overall(page) == "1 of 8 steps"
        page.reload()
        page.wait_for_selector(".rb-controls")
        assert box(page, "step:backup").is_checked()


def test_without_javascript_the_page_is_complete(browser: Any, base: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(base + EXAMPLE)
        # 7 steps, migration 0043 (0042 is ticked on its step), 1 rollback step, 5 checks.
        assert page.locator("input[data-rb-item]").count() == 7 + 1 + 1 + 5
        assert page.locator(".rb-controls, .rb-signoff, .rb-print-first").count() == 0
        assert page.locator('[data-rb-progress="all"]').is_hidden()
        assert page.locator(".rb-rollback .rb-rollback-owner").is_visible()
        # Printed without JavaScript, the "If it goes wrong" card comes before the phases.
        page.emulate_media(media="print")
        owner = page.locator(".rb-if-wrong .rb-card-owner").bounding_box()
        first_phase = page.locator("#phase-pre-deployment").bounding_box()
        assert owner and first_phase and owner["y"] < first_phase["y"]
    finally:
        context.close()


def test_print_layout(page: Any, base: str, tmp_path: Path, console: Any) -> None:
    open_plan(page, base + EXAMPLE)
    box(page, "step:backup").check()
    page.screenshot(path=str(tmp_path / "screen.png"), full_page=True)
    assert page.locator(".rb-signoff").first.is_hidden()
    assert page.locator(".rb-print-first").is_hidden()
    assert page.locator(".md-sidebar--primary").is_visible()

    # About the width of a sheet of paper: on screen too, long commands wrap (issue 18).
    page.set_viewport_size({"width": 720, "height": 1000})
    too_wide = """() => [...document.querySelectorAll('.rb-code pre, .rb-code code')]
        .filter(e => e.scrollWidth > e.clientWidth + 1).length"""
    assert page.evaluate(too_wide) == 0

    page.emulate_media(media="print")
    page.screenshot(path=str(tmp_path / "print.png"), full_page=True)
    assert (tmp_path / "print.png").stat().st_size > 0

    signoffs = page.locator(".rb-step .rb-signoff")
    assert signoffs.count() == page.locator(".rb-step").count() == 7 + 2 + 1
    assert signoffs.first.is_visible()
    assert "Initials" in signoffs.first.inner_text()
    assert "Time" in signoffs.first.inner_text()
    for chrome in (".md-sidebar", ".md-header", ".md-footer", ".md-search", ".md-tabs"):
        loc = page.locator(chrome)
        assert all(loc.nth(i).is_hidden() for i in range(loc.count())), chrome
    for control in (".rb-controls", ".md-clipboard"):
        loc = page.locator(control)
        assert all(loc.nth(i).is_hidden() for i in range(loc.count())), control

    # The verdict banner and the "If it goes wrong" card lead the paper; the script's own
    # first-page rollback block is not needed beside them.
    assert page.locator(".rb-print-first").is_hidden()
    owner = page.locator(".rb-if-wrong .rb-card-owner strong")
    assert owner.is_visible()
    assert owner.inner_text() == "Dana Kowalski (Release Manager)"
    assert page.locator(".rb-if-wrong .rb-card-triggers").is_visible()
    owner_box = owner.bounding_box()
    phase_box = page.locator("#phase-pre-deployment").bounding_box()
    assert owner_box and phase_box and owner_box["y"] < phase_box["y"]

    # Ticks stay on paper; commands wrap inside the page instead of being cut.
    assert box(page, "step:backup").is_checked()
    assert box(page, "step:backup").is_visible()
    assert page.evaluate(too_wide) == 0
    # The content uses the page's width: no sidebar margin is left.
    article = page.locator("article.md-content__inner").bounding_box()
    assert article and article["x"] < 20 and article["width"] > 680
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
    (tmp_path / "print.pdf").write_bytes(pdf)
    assert console.errors == []


def test_script_speaks_the_site_language(
    tmp_path: Path, serve: Any, page: Any, console: Any
) -> None:
    """The script's words come from the plugin's translation table (theme.language: fr),
    and a site's `words:` override reaches the script too."""
    theme = {**MATERIAL, "language": "fr"}
    root = tmp_path / "fr"
    build_site(
        root,
        both_plans(),
        config={"theme": theme},
        plugin={"words": {"js:copy": "Copier le relevé"}},
        strict=True,
    )
    with serve(root / "site") as url:
        open_plan(page, url + EXAMPLE)
        assert overall(page).startswith("0 sur 8 étapes")
        box(page, "step:backup").check()
        assert overall(page).startswith("1 sur 8 étapes")
        assert page.get_by_role("button", name="Copier le relevé").is_visible()
        assert page.get_by_role("button", name="Effacer les coches").is_visible()
    assert console.errors == []
