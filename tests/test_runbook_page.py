"""The runbook page for the person running it (issue 18): the verdict, the "If it goes
wrong" card, the review out of the way, one tick per action, what runs in production.

Pure verdicts from loaded plans, and real MkDocs + Material builds in tmp_path.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mkdocs_runbooks.lint import lint_all
from mkdocs_runbooks.load import load_plan
from mkdocs_runbooks.patterns import load_patterns
from mkdocs_runbooks.portal import Portal
from mkdocs_runbooks.render.words import Words
from mkdocs_runbooks.verdict import verdict
from sitebuild import build_site, spec_text

EXAMPLE = spec_text("example")


def runnable(text: str = EXAMPLE, status: str = "approved") -> str:
    """The spec example as a plan still to run: given status, no outcome."""
    text = text.replace("status: completed ", f"status: {status} ", 1)
    return text.split("\noutcome:")[0] + "\n"


def contract_in_blue_green() -> str:
    """A blue-green plan whose migration 0043 contracts the schema: RB301, an error."""
    return runnable().replace("phase: migrate", "phase: contract", 1)


def loaded(tmp_path: Path, text: str, folder: str = "checkout-api/x"):
    path = tmp_path / "plans" / folder / "deployment-plan.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    item = load_plan(path, load_patterns(), display=f"{folder}/deployment-plan.yaml")
    item.folder = folder
    lint_all([item])
    return item


# --- the verdict (pure) -------------------------------------------------------------------


def test_verdict_kinds(tmp_path: Path) -> None:
    ready = loaded(tmp_path, runnable(), "a/1")
    assert verdict(ready.plan, ready.findings).kind == "ready"
    approved = verdict(ready.plan, ready.findings).approvals
    assert [r.name for r in approved] == ["Dana Kowalski"]

    draft = loaded(tmp_path, runnable(status="in-review"), "a/2")
    assert verdict(draft.plan, draft.findings).kind == "not-approved"
    nobody = loaded(tmp_path, runnable().replace("approved: 2026-11-18", ""), "a/3")
    assert verdict(nobody.plan, nobody.findings).kind == "not-approved"

    done = loaded(tmp_path, EXAMPLE, "a/4")
    v = verdict(done.plan, done.findings)
    assert (v.kind, v.result, v.label) == ("executed", "success", "verdict:success")

    bad = loaded(tmp_path, contract_in_blue_green(), "a/5")
    v = verdict(bad.plan, bad.findings)
    assert v.kind == "do-not-run" and [p.rule for p in v.reasons] == ["RB301"]
    assert [p.rule for p in v.rollback_warnings] == ["RB301"]

    broken = tmp_path / "b" / "deployment-plan.yaml"
    broken.parent.mkdir()
    broken.write_text("service: [\n", encoding="utf-8")
    invalid = load_plan(broken, load_patterns())
    assert verdict(invalid.plan, invalid.problems, invalid=True).kind == "do-not-run"


def test_portal_in_production_and_newest(tmp_path: Path) -> None:
    old = loaded(tmp_path, EXAMPLE.replace("date: 2026-11-20", "date: 2026-01-05"), "s/1")
    rolled = EXAMPLE.replace("result: success ", "result: rolled-back ").replace(
        "status: completed ", "status: rolled-back "
    )
    newer = loaded(tmp_path, rolled.replace('release: "2.10"', 'release: "2.11"'), "s/2")
    portal = Portal.build([old, newer], load_patterns())
    service = old.plan.service
    assert portal.in_production(service).loaded is old
    assert portal.newest(service).loaded is newer
    assert portal.newest(service).verdict.label == "verdict:rolled-back"


def test_every_word_has_a_french_translation() -> None:
    en, fr = Words("en").table, Words("fr").table
    for key in [k for k in en if k.startswith(("verdict:", "banner:"))] + [
        "If it goes wrong",
        "Roll back when",
        "In production",
        "js:kept",
    ]:
        assert fr[key] != en[key], key


# --- the page, built ----------------------------------------------------------------------


def article(site, url: str) -> str:
    page = site.page(url)
    return page[page.index("<article") : page.index("</article>")]


@pytest.mark.slow
def test_banner_first_and_card_below(tmp_path: Path) -> None:
    site = build_site(tmp_path, {"checkout-api/x": contract_in_blue_green()}, strict=True)
    assert not site.aborted, site.warnings
    html = article(site, "plans/checkout-api/x/")
    # The banner is the first thing under the title, the card right below it.
    after_h1 = html[html.index("</h1>") + 5 :].lstrip()
    assert after_h1.startswith('<div class="rb-page rb-verdict rb-verdict-do-not-run')
    banner = after_h1[: after_h1.index('<div class="rb-card rb-if-wrong"')]
    assert 'data-rb-verdict="do-not-run"' in banner
    assert re.search(r'class="rb-finding rb-finding-error" href="[^"]*#rb301">RB301</a>', banner)
    card = after_h1[after_h1.index('<div class="rb-card rb-if-wrong"') :]
    card = card[: card.index('class="rb-jump"')]
    assert "Dana Kowalski" in card  # who decides
    assert "The rollback does not work as written" in card and ">RB301</a>" in card
    assert 'href="#rollback"' in card
    # The first rollback command, copyable, byte for byte.
    first = "./lb switch checkout --to blue"
    card_code = r'<div class="rb-code rb-code-card no-copy"[^>]*><pre tabindex="0"><code>'
    assert re.search(card_code, card)
    assert first in card
    assert '<a class="rb-jump" href="#rollback"' in html


@pytest.mark.slow
def test_review_after_procedure_collapsed_with_counts(tmp_path: Path) -> None:
    site = build_site(tmp_path, {"checkout-api/x": contract_in_blue_green()}, strict=True)
    html = article(site, "plans/checkout-api/x/")
    review = html.index('id="findings"')
    assert html.index('id="rollback"') < review
    assert html.index('id="phase-pre-deployment"') < html.index('id="summary"')
    summary = re.search(r'<details class="rb-review"><summary>(.*?)</summary>', html).group(1)
    assert re.sub(r"<[^>]+>", "", summary).startswith("Plan review: 1 error")
    # Backticks in messages are code, not literal backticks (RB102 names `verify`).
    site = build_site(tmp_path / "m", {"billing-worker/x": spec_text("minimal")}, strict=True)
    html = article(site, "plans/billing-worker/x/")
    review = html[html.index('id="findings"') :]
    assert "<code>verify:</code>" in review and "`verify" not in review
    # One list item per finding.
    review = review[: review.index("</details>")]
    assert review.count("<li>") == review.count('class="rb-finding ') >= 5


@pytest.mark.parametrize(
    ("text", "kind", "words"),
    [
        (runnable(), "ready", ["Ready to run", "Approved by", "Dana Kowalski"]),
        (runnable(status="draft"), "not-approved", ["Not approved", "draft"]),
        (EXAMPLE, "executed", ["Already run: succeeded", "2026-11-20 22:02 +01:00"]),
        (runnable(status="cancelled"), "executed", ["Cancelled: not to be run"]),
    ],
)
@pytest.mark.slow
def test_banner_per_verdict(tmp_path: Path, text: str, kind: str, words: list[str]) -> None:
    site = build_site(tmp_path, {"checkout-api/x": text}, strict=True)
    html = article(site, "plans/checkout-api/x/")
    banner = html[html.index('<div class="rb-page rb-verdict') : html.index("rb-if-wrong")]
    assert f'data-rb-verdict="{kind}"' in banner
    for word in words:
        assert word in banner


@pytest.mark.slow
def test_record_points_to_newest_plan_and_service_says_what_runs(tmp_path: Path) -> None:
    rolled = (
        EXAMPLE.replace("result: success ", "result: rolled-back ")
        .replace("status: completed ", "status: rolled-back ")
        .replace('release: "2.10"', 'release: "5.5.0"')
        .replace("date: 2026-11-20", "date: 2026-12-01")
    )
    plans = {"checkout-api/old": EXAMPLE, "checkout-api/new": rolled}
    site = build_site(tmp_path, plans, strict=True)
    old = article(site, "plans/checkout-api/old/")
    assert re.search(r'Newer: 5\.5\.0 <span class="rb-badge rb-verdict-badge[^"]*"', old)
    assert "rolled back</span>" in old[old.index("rb-next") :]
    assert "The newest plan of checkout-api is" in old
    service = article(site, "plans/checkout-api/")
    text = re.sub(r"<[^>]+>", "", service)
    assert "In production: 2.10 since 2026-11-20" in text
    assert "Newest plan: 5.5.0" in text
    assert 'data-rb-verdict="executed"' in service
    index = article(site, "plans/")
    assert index.count("rb-verdict-badge") == 2


@pytest.mark.slow
def test_one_tick_per_action(tmp_path: Path) -> None:
    # Step "Apply migration 0042 (expand)" applies 0042: one box, on the step. No step runs
    # 0043 (the backfill), so the operator ticks it in the migration list.
    site = build_site(tmp_path, {"checkout-api/x": runnable()}, strict=True)
    html = article(site, "plans/checkout-api/x/")
    assert 'data-rb-item="migration:0042"' not in html
    assert 'data-rb-item="migration:0043"' in html
    assert re.search(r'Applies migration <a href="#migration-0042">0042</a>', html)
    assert re.search(r'Applied in step <a href="#step-[^"]+">2\.1</a>', html)
    phase_steps = len(re.findall(r'data-rb-item="step:(?!switch-back)', html))
    assert phase_steps == 7  # the plan's phase steps; the rollback step is counted apart


def test_error_page_says_do_not_run(tmp_path: Path) -> None:
    site = build_site(tmp_path, {"checkout-api/x": "service: [\n"})
    html = article(site, "plans/checkout-api/x/")
    after_h1 = html[html.index("</h1>") + 5 :].lstrip()
    assert after_h1.startswith('<div class="rb-page rb-verdict rb-verdict-do-not-run')
    assert "Do not run this plan" in after_h1 and "This file is not a valid plan." in after_h1


def test_ticks_escapes_before_marking_code() -> None:
    from mkdocs_runbooks.render.escape import ticks

    out = str(ticks("step '<img src=x onerror=alert(1)>' has no `verify` & `<b>`"))
    assert "<img" not in out and "<b>" not in out
    assert "<code>verify</code>" in out and "<code>&lt;b&gt;</code>" in out
