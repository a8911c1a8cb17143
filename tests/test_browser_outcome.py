"""Closing the loop: the run record as an ``outcome:`` block, made in Chromium, pasted into
the plan and validated, then counted by the next build's figures."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from histories import plan_text
from mkdocs_runbooks.insights.figures import facts_of
from mkdocs_runbooks.load import load_text
from mkdocs_runbooks.patterns import load_patterns
from sitebuild import build_site

pytest_plugins = ["browser"]

PLAN = "plans/checkout-api/2026-11-20/"
NASTY = 'Back up "the" DB \\ <b>now</b>: *really*\u0085done'


@pytest.mark.browser
def test_outcome_block_pastes_into_the_plan(tmp_path: Path, page: Any, serve: Any) -> None:
    text = plan_text(status="in-progress").replace(
        "title: Back up the payments database", f"title: {json.dumps(NASTY)}"
    )
    site = build_site(tmp_path, {"checkout-api/2026-11-20": text}, config={"theme": "material"})
    assert not site.aborted, site.warnings
    with serve(site.site_dir) as base:
        page.goto(base + PLAN)
        page.wait_for_selector(".rb-controls button[data-rb-action='outcome']")
        for item in ("step:backup", "step:health-before", "step:migrate-0042"):
            page.locator(f'input[data-rb-item="{item}"]').check()
            page.wait_for_timeout(1100)  # tick times a second apart
        page.select_option("select.rb-outcome-result", "rolled-back")
        page.click("button[data-rb-action='outcome']")
        block = page.locator("textarea.rb-record").input_value()

    assert block.startswith("outcome:\n  result: rolled-back\n")
    pasted = text.rstrip("\n") + "\n" + block
    loaded = load_text(pasted, "deployment-plan.yaml", load_patterns(None))
    assert loaded.plan is not None, [p.text() for p in loaded.problems]
    outcome = loaded.plan.outcome
    assert outcome is not None and outcome.result == "rolled-back"
    started = dt.datetime.fromisoformat(str(outcome.started).replace("Z", "+00:00"))
    finished = dt.datetime.fromisoformat(str(outcome.finished).replace("Z", "+00:00"))
    assert dt.timedelta(seconds=2) <= finished - started < dt.timedelta(seconds=30)
    notes = str(outcome.notes)
    assert notes.startswith("Run record from the runbook page (3 / ")
    # One line per tick, in tick order, labels escaped for Markdown.
    ticks = re.findall(r"^- (\S+Z) (.*)$", notes, re.M)
    assert [t for t, _ in ticks] == sorted(t for t, _ in ticks) and len(ticks) == 3
    assert ticks[0][0] == outcome.started and ticks[-1][0] == outcome.finished
    assert "the" in ticks[0][1] and "\\<b\\>now\\</b\\>" in ticks[0][1]
    # Shown as the page shows it (<U+0085>), never read as a YAML line break.
    assert "\\<U+0085\\>" in ticks[0][1] and "\u0085" not in block
    # The next build's figures include this run.
    facts = facts_of(loaded.plan)
    assert facts.executed and facts.failed and facts.restore == (finished - started).seconds
    assert yaml.safe_load(block)["outcome"]["result"] == "rolled-back"


@pytest.mark.browser
def test_outcome_block_without_ticks_is_still_valid(tmp_path: Path, page: Any, serve: Any) -> None:
    text = plan_text(status="in-progress")
    site = build_site(tmp_path, {"checkout-api/2026-11-20": text}, config={"theme": "material"})
    with serve(site.site_dir) as base:
        page.goto(base + PLAN)
        page.click("button[data-rb-action='outcome']")
        block = page.locator("textarea.rb-record").input_value()
    loaded = load_text(text + block, "deployment-plan.yaml", load_patterns(None))
    assert loaded.plan is not None and loaded.plan.outcome is not None
    assert loaded.plan.outcome.result == "success" and loaded.plan.outcome.started is None
