"""The diff's design: fields compared as their model type says, step ids derived as the
loader derives them, one risk table, rendering kept in ``render``."""

from __future__ import annotations

from pathlib import Path

from mkdocs_runbooks.diff import diff_plans
from mkdocs_runbooks.diff.risk import FIELD_RULES
from mkdocs_runbooks.diff.values import How, how_of
from mkdocs_runbooks.load import load_text
from mkdocs_runbooks.model import Migration, Outcome, Plan, Risk, Step, Trigger
from mkdocs_runbooks.render.diff_text import to_markdown


def test_how_a_field_is_compared_follows_its_type() -> None:
    assert how_of(Step, "command") is How.CODE  # Shell | None
    assert how_of(Migration, "rollback") is How.CODE
    assert how_of(Step, "expected") is How.PROSE  # Markdown | None
    assert how_of(Plan, "summary") is How.PROSE
    assert how_of(Outcome, "notes") is How.PROSE
    assert how_of(Step, "title") is How.TEXT  # Text
    assert how_of(Trigger, "window") is How.TEXT  # Duration
    assert how_of(Risk, "breaking_changes") is How.TEXT  # bool


def test_every_risk_rule_names_a_real_field() -> None:
    for model, name in FIELD_RULES:
        assert name in model.model_fields, (model, name)


def test_plan_built_without_the_loader_gets_the_loaders_step_ids(spec_example: Path) -> None:
    text = spec_example.read_text(encoding="utf-8")
    loaded = load_text(text, spec_example).plan
    assert loaded is not None
    # The same data validated directly: no derived ids on its steps.
    bare = Plan.model_validate(loaded.model_dump())
    assert all(not step.uid for p in bare.phases for step in p.steps if step.id is None)
    assert diff_plans(loaded, bare).same
    assert diff_plans(bare, loaded).same


def test_diff_markdown_uses_the_gfm_escaper(spec_example: Path) -> None:
    text = spec_example.read_text(encoding="utf-8")
    old = load_text(text, spec_example).plan
    new = load_text(text.replace('threshold: "> 0.05"', 'threshold: "> 0.08"'), spec_example).plan
    out = to_markdown(diff_plans(old, new))
    # gfm_text escapes only what Markdown would read as syntax: "> 0.05" mid-line is text.
    assert "threshold > 0.05 → > 0.08" in out
    assert "&gt;" not in out
