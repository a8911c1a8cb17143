"""``diff_plans`` and ``mkdocs-runbooks diff``: changes by meaning, risk flags, output forms,
and plans read from a git ref."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import markdown
import pytest

from mkdocs_runbooks.cli import main
from mkdocs_runbooks.diff import Change, PlanDiff, diff_plans, line_diff
from mkdocs_runbooks.gitref import GitError, list_plan_files, load_plan_at, show_file
from mkdocs_runbooks.load import load_text
from mkdocs_runbooks.model import Plan
from mkdocs_runbooks.patterns import load_patterns
from mkdocs_runbooks.render.diff_text import to_markdown, to_text

REGISTRY = load_patterns()
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def base(spec_example: Path) -> str:
    """The contract's complete example plan, as text."""
    return spec_example.read_text(encoding="utf-8")


def edit(text: str, *pairs: tuple[str, str]) -> str:
    """``text`` with each ``old`` replaced by ``new`` once (``old`` must be there)."""
    for old, new in pairs:
        assert old in text, f"not in the plan: {old!r}"
        text = text.replace(old, new, 1)
    return text


def plan(text: str) -> Plan:
    loaded = load_text(text, "plan.yaml", REGISTRY)
    assert loaded.plan is not None, [p.text() for p in loaded.problems]
    return loaded.plan


def diff(old: str, new: str) -> PlanDiff:
    return diff_plans(plan(old), plan(new), old_label="old", new_label="new")


def by_path(result: PlanDiff) -> dict[str, Change]:
    out: dict[str, Change] = {}
    for change in result.changes:
        out.setdefault(change.path, change)
    return out


def kinds(result: PlanDiff) -> set[tuple[str, str]]:
    return {(c.kind, c.path) for c in result.changes}


# A second rollback step and an extra measurable trigger, for the rollback tests.
SECOND_ROLLBACK_STEP = (
    "  database: |                     # optional; Markdown\n",
    "    - id: confirm-blue\n"
    "      title: Confirm blue serves traffic\n"
    "      command: ./lb status checkout\n"
    "      verify: \"./lb status checkout | grep 'active: blue'\"\n"
    "  database: |                     # optional; Markdown\n",
)
LATENCY_TRIGGER = (
    "    - condition: The checkout smoke suite fails\n",
    "    - condition: The checkout smoke suite fails\n"
    "    - condition: Success ratio below 99% for 10 minutes\n"
    "      metric: checkout_success_ratio\n"
    '      threshold: "< 0.99"\n'
    "      window: 10m\n",
)


# --- same -------------------------------------------------------------------------------------


def test_identical_plans_are_the_same(base: str) -> None:
    result = diff(base, base)
    assert result.same
    assert result.changes == []
    assert result.risk_flags == []
    assert result.groups() == []


def test_comments_quoting_and_key_order_do_not_count(base: str) -> None:
    other = "\n".join(line.split("  #")[0].rstrip() for line in base.splitlines()) + "\n"
    other = edit(other, ('release: "2.10"', "release: '2.10'"), ("window: 5m", 'window: "5m"'))
    assert diff(base, other).same


def test_cli_identical_files_exit_0(
    base: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a = tmp_path / "a.yaml"
    b = tmp_path / "b.yaml"
    a.write_text(base, encoding="utf-8")
    b.write_text(base, encoding="utf-8")
    assert main(["diff", str(a), str(b)]) == 0
    out = capsys.readouterr().out
    assert "no changes" in out
    for title in ("Metadata", "Risk", "Phases", "Rollback", "Raises risk"):
        assert title not in out
    assert main(["diff", str(a), str(b), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["same"] is True and data["changes"] == [] and data["summary"]["changes"] == 0


# --- groups -----------------------------------------------------------------------------------


def test_metadata_changes(base: str) -> None:
    new = edit(
        base,
        ("status: completed", "status: approved"),
        ("date: 2026-11-20", "date: 2026-11-27"),
        ('release: "2.10"', 'release: "2.10.1"'),
        ("environment: production", "environment: staging"),
        ("title: Checkout API 2.10 - card vault migration", "title: Checkout API 2.10.1"),
        ("duration: 2h30m", "duration: 3h"),
    )
    result = diff(base, new)
    found = by_path(result)
    assert {c.group for c in result.changes} == {"metadata"}
    assert (found["status"].old, found["status"].new) == ("completed", "approved")
    assert (found["date"].old, found["date"].new) == ("2026-11-20", "2026-11-27")
    assert (found["release"].old, found["release"].new) == ("2.10", "2.10.1")
    assert found["environment"].new == "staging"
    assert found["title"].kind == "changed"
    assert (found["window.duration"].old, found["window.duration"].new) == ("2h30m", "3h")
    assert result.risk_flags == []


def test_risk_level_raised_is_flagged(base: str) -> None:
    new = edit(
        base, ("level: high ", "level: critical "), ("user_impact: critical", "user_impact: low")
    )
    result = diff(base, new)
    found = by_path(result)
    assert {c.group for c in result.changes} == {"risk"}
    level = found["risk.level"]
    assert (level.kind, level.old, level.new, level.risk_up) == (
        "changed",
        "high",
        "critical",
        True,
    )
    assert "raised from high to critical" in level.reason
    assert not found["risk.user_impact"].risk_up  # lower impact is not more risk
    assert result.risk_flags == [level]


def test_risk_level_lowered_is_not_flagged(base: str) -> None:
    result = diff(base, edit(base, ("level: high ", "level: medium ")))
    assert [c.path for c in result.changes] == ["risk.level"]
    assert result.risk_flags == []


def test_strategy_parameters(base: str) -> None:
    new = edit(
        base,
        ("standby: 24h", "standby: 48h"),
        ("    switch: load balancer ", "    drain: 30s\n   "),
    )
    result = diff(base, new)
    assert {c.group for c in result.changes} == {"strategy"}
    assert kinds(result) == {
        ("removed", "strategy.parameters.switch"),
        ("changed", "strategy.parameters.standby"),
        ("added", "strategy.parameters.drain"),
    }
    standby = by_path(result)["strategy.parameters.standby"]
    assert (standby.old, standby.new) == ("24h", "48h")


def test_strategy_pattern_changed(base: str) -> None:
    result = diff(base, edit(base, ("pattern: blue-green", "pattern: Canary")))
    found = by_path(result)["strategy.pattern"]
    assert (found.old, found.new) == ("blue-green", "canary")


def test_roles_by_role_name(base: str) -> None:
    new = edit(
        base,
        ("    name: Bao Tran\n", "    name: Bea Torres\n    contact: '@bea'\n"),
        ("  - role: Monitoring Observer\n    name: Chidi Okafor\n", ""),
        (
            "  - role: Release Manager\n",
            "  - role: Communications Lead\n    name: Eve Ito\n  - role: Release Manager\n",
        ),
    )
    result = diff(base, new)
    assert {c.group for c in result.changes} == {"roles"}
    assert kinds(result) == {
        ("changed", "roles[Technical Executor].name"),
        ("added", "roles[Technical Executor].contact"),
        ("removed", "roles[Monitoring Observer]"),
        ("added", "roles[Communications Lead]"),
    }
    found = by_path(result)
    assert (
        found["roles[Technical Executor].name"].old,
        found["roles[Technical Executor].name"].new,
    ) == (
        "Bao Tran",
        "Bea Torres",
    )
    assert found["roles[Communications Lead]"].new == "Eve Ito"


def test_migrations_added_removed_changed(base: str) -> None:
    new = edit(
        base,
        ("      command: alembic upgrade 0042\n", "      command: alembic upgrade 0042 --sql\n"),
        (
            '    - id: "0043"\n'
            "      description: Backfill vault_token from card_number in batches of 10k\n"
            "      phase: migrate\n"
            "      reversible: false\n"
            "      command: python -m checkout.backfill --batch 10000\n"
            '      verify: psql "$DB_URL" -tc "select count(*) from payments where vault_token '
            'is null"\n'
            "      tested_in: staging\n",
            '    - id: "0044"\n'
            "      description: Index payments.vault_token\n"
            "      phase: expand\n"
            "      command: alembic upgrade 0044\n"
            "      verify: alembic current | grep -q 0044\n"
            "      rollback: alembic downgrade 0042\n",
        ),
    )
    result = diff(base, new)
    assert {c.group for c in result.changes} == {"migrations"}
    assert kinds(result) == {
        ("changed", "migrations.items[0042].command"),
        ("removed", "migrations.items[0043]"),
        ("added", "migrations.items[0044]"),
    }
    found = by_path(result)
    command = found["migrations.items[0042].command"]
    assert command.code
    assert command.diff == ("-alembic upgrade 0042", "+alembic upgrade 0042 --sql")
    added = found["migrations.items[0044]"]
    assert added.new == "Index payments.vault_token"
    assert {d.name: d.value for d in added.details}["rollback"] == "alembic downgrade 0042"
    assert not added.risk_up  # reversible expand migration
    assert found["migrations.items[0043]"].old.startswith("Backfill")  # type: ignore[union-attr]


def test_migration_became_irreversible_is_flagged(base: str) -> None:
    new = edit(
        base,
        (
            "      reversible: true            # optional bool, default true\n",
            "      reversible: false\n",
        ),
        ("      rollback: alembic downgrade 0041   # required when reversible is true\n", ""),
    )
    result = diff(base, new)
    found = by_path(result)
    rev = found["migrations.items[0042].reversible"]
    assert (rev.old, rev.new, rev.risk_up) == ("true", "false", True)
    assert "0042 became irreversible" in rev.reason
    assert found["migrations.items[0042].rollback"].kind == "removed"
    assert [c.path for c in result.risk_flags] == ["migrations.items[0042].reversible"]


def test_migration_became_contract_and_breaking_is_flagged(base: str) -> None:
    new = edit(
        base,
        ("      phase: migrate\n", "      phase: contract\n      breaking: true\n"),
    )
    result = diff(base, new)
    flags = {c.path: c.reason for c in result.risk_flags}
    assert set(flags) == {"migrations.items[0043].phase", "migrations.items[0043].breaking"}
    assert "became a contract migration" in flags["migrations.items[0043].phase"]
    assert "became breaking" in flags["migrations.items[0043].breaking"]


def test_new_irreversible_migration_is_flagged(base: str) -> None:
    new = edit(
        base,
        (
            "  rollback_plan: |",
            '    - id: "0044"\n'
            "      description: Drop payments.card_number\n"
            "      phase: contract\n"
            "      reversible: false\n"
            "      command: alembic upgrade 0044\n"
            "  rollback_plan: |",
        ),
    )
    [flag] = diff(base, new).risk_flags
    assert (flag.kind, flag.path) == ("added", "migrations.items[0044]")
    assert "irreversible" in flag.reason and "contract" in flag.reason


def test_migration_verify_removed_is_flagged(base: str) -> None:
    new = edit(base, ("      verify: psql \"$DB_URL\" -c '\\d payments' | grep vault_token\n", ""))
    [flag] = diff(base, new).risk_flags
    assert (flag.kind, flag.path) == ("removed", "migrations.items[0042].verify")
    assert "lost its verify" in flag.reason


def test_migrations_reordered(base: str) -> None:
    first = base.index('    - id: "0042"')
    second = base.index('    - id: "0043"')
    end = base.index("  rollback_plan:")
    new = base[:first] + base[second:end] + base[first:second] + base[end:]
    result = diff(base, new)
    [change] = result.changes  # a swap: one of the two moved relative to the other
    assert change.kind == "moved"
    assert change.path in ("migrations.items[0042]", "migrations.items[0043]")
    assert {change.old, change.new} == {"position 1", "position 2"}


# --- steps ------------------------------------------------------------------------------------

NEW_STEP = (
    "  - phase: smoke-testing\n    steps:\n",
    "  - phase: smoke-testing\n    steps:\n"
    "      - id: warm-cache\n"
    "        title: Warm the card vault cache\n"
    "        command: ./vault warm --service checkout\n"
    "        verify: ./vault stats | grep -q warm\n",
)


def test_step_added(base: str) -> None:
    result = diff(base, edit(base, NEW_STEP))
    [change] = result.changes
    assert (change.group, change.kind, change.path) == (
        "phases",
        "added",
        "phases[smoke-testing].steps[warm-cache]",
    )
    assert change.new == "Warm the card vault cache"
    details = {d.name: d for d in change.details}
    assert details["command"].value == "./vault warm --service checkout"
    assert details["command"].code
    assert not change.risk_up  # it has a verify


def test_step_added_before_others_moves_nothing(base: str) -> None:
    new = edit(
        base,
        (
            "    steps:                        # required; at least one\n",
            "    steps:\n      - title: Announce the start in the channel\n",
        ),
    )
    result = diff(base, new)
    assert kinds(result) == {
        ("added", "phases[pre-deployment].steps[announce-the-start-in-the-channel]")
    }


def test_step_with_command_but_no_verify_is_flagged(base: str) -> None:
    new = edit(base, NEW_STEP, ("        verify: ./vault stats | grep -q warm\n", ""))
    [flag] = diff(base, new).risk_flags
    assert flag.kind == "added" and "without a verify" in flag.reason


def test_step_removed(base: str) -> None:
    new = edit(
        base,
        (
            "      - id: health-before\n"
            "        title: Confirm production is healthy\n"
            "        owner: Monitoring Observer\n"
            "        command: curl -fsS https://checkout.example.com/healthz\n"
            '        expected: HTTP 200 with "status":"ok"\n'
            "        verify: curl -fsS https://checkout.example.com/healthz | jq -e '.status == "
            '"ok"\'\n',
            "",
        ),
    )
    result = diff(base, new)
    [change] = result.changes
    assert (change.kind, change.path, change.old) == (
        "removed",
        "phases[pre-deployment].steps[health-before]",
        "Confirm production is healthy",
    )
    assert not change.risk_up  # a phase step; a removed rollback step is flagged


def test_step_moved_to_another_phase(base: str) -> None:
    block = (
        "      - id: health-before\n"
        "        title: Confirm production is healthy\n"
        "        owner: Monitoring Observer\n"
        "        command: curl -fsS https://checkout.example.com/healthz\n"
        '        expected: HTTP 200 with "status":"ok"\n'
        "        verify: curl -fsS https://checkout.example.com/healthz | jq -e '.status == "
        '"ok"\'\n'
    )
    new = edit(base, (block, ""))
    new = edit(
        new,
        (
            "  - phase: smoke-testing\n    steps:\n",
            "  - phase: smoke-testing\n    steps:\n" + block,
        ),
    )
    result = diff(base, new)
    [change] = result.changes
    assert (change.kind, change.path) == ("moved", "phases[smoke-testing].steps[health-before]")
    assert (change.old, change.new) == ("pre-deployment, step 2", "smoke-testing, step 1")


def test_steps_reordered_in_a_phase(base: str) -> None:
    start = base.index("      - id: deploy-green")
    middle = base.index("      - id: switch-traffic")
    end = base.index("  - phase: smoke-testing")
    new = base[:start] + base[middle:end] + base[start:middle] + base[end:]
    result = diff(base, new)
    [change] = result.changes  # one step moved relative to the other, not both
    assert change.kind == "moved"
    assert change.path in (
        "phases[application-deployment].steps[deploy-green]",
        "phases[application-deployment].steps[switch-traffic]",
    )
    assert {change.old, change.new} == {
        "application-deployment, step 1",
        "application-deployment, step 2",
    }


def test_renamed_step_id(base: str) -> None:
    result = diff(base, edit(base, ("      - id: switch-traffic", "      - id: lb-switch")))
    [change] = result.changes
    assert (change.kind, change.path, change.old, change.new) == (
        "renamed",
        "phases[application-deployment].steps[lb-switch]",
        "switch-traffic",
        "lb-switch",
    )


def test_command_verify_expected_changed_show_line_diffs(base: str) -> None:
    new = edit(
        base,
        (
            '          pg_dump --format=custom --file=/backups/checkout-2.10.dump "$DB_URL"\n',
            "          set -euo pipefail\n"
            "          pg_dump --format=custom --jobs=4"
            ' --file=/backups/checkout-2.10.dump "$DB_URL"\n',
        ),
        (
            "verify: pg_restore --list /backups/checkout-2.10.dump | head -n 5",
            "verify: pg_restore --list /backups/checkout-2.10.dump",
        ),
        (
            "expected: pg_dump exits 0 and the dump file is larger than 1 GB.",
            "expected: pg_dump exits 0.",
        ),
    )
    found = by_path(diff(base, new))
    path = "phases[pre-deployment].steps[backup]"
    command = found[f"{path}.command"]
    assert command.kind == "changed" and command.code
    assert command.diff == (
        '-pg_dump --format=custom --file=/backups/checkout-2.10.dump "$DB_URL"',
        "+set -euo pipefail",
        '+pg_dump --format=custom --jobs=4 --file=/backups/checkout-2.10.dump "$DB_URL"',
    )
    assert command.old == 'pg_dump --format=custom --file=/backups/checkout-2.10.dump "$DB_URL"\n'
    verify = found[f"{path}.verify"]
    assert verify.diff == (
        "-pg_restore --list /backups/checkout-2.10.dump | head -n 5",
        "+pg_restore --list /backups/checkout-2.10.dump",
    )
    expected = found[f"{path}.expected"]
    assert not expected.code
    assert expected.diff == (
        "-pg_dump exits 0 and the dump file is larger than 1 GB.",
        "+pg_dump exits 0.",
    )


def test_line_diff_of_a_long_text_has_hunks() -> None:
    old = "".join(f"line {i}\n" for i in range(20))
    new = old.replace("line 2\n", "line two\n").replace("line 17\n", "line seventeen\n")
    out = line_diff(old, new)
    assert sum(1 for line in out if line.startswith("@@")) == 2
    assert "-line 2" in out and "+line seventeen" in out
    assert line_diff("a\n", "a") == ("-a", "+a", "\\ No newline at end of file")


def test_step_verify_removed_is_flagged(base: str) -> None:
    new = edit(base, ("verify: pg_restore --list /backups/checkout-2.10.dump | head -n 5", ""))
    [flag] = diff(base, new).risk_flags
    assert (flag.kind, flag.path) == ("removed", "phases[pre-deployment].steps[backup].verify")
    assert flag.old == "pg_restore --list /backups/checkout-2.10.dump | head -n 5"
    assert "step 'backup' lost its verify command" in flag.reason


def test_command_added_without_verify_is_flagged(base: str) -> None:
    watch = "        title: Watch error rate and latency for 30 minutes\n"
    old = edit(
        base,
        (
            "        verify: ./alerts list --service checkout --since 30m --state firing | wc -l\n",
            "",
        ),
    )
    new = edit(old, (watch, watch + "        command: ./alerts watch --service checkout\n"))
    [flag] = diff(old, new).risk_flags
    assert (flag.kind, flag.path) == ("added", "phases[monitoring].steps[watch].command")
    assert "without a verify" in flag.reason
    # With a verify, adding a command is no risk.
    assert (
        diff(base, edit(base, (watch, watch + "        command: ./alerts watch\n"))).risk_flags
        == []
    )


# --- rollback ---------------------------------------------------------------------------------

ERROR_TRIGGER = "rollback.triggers[Error rate above 5% for 5 minutes]"


def test_trigger_threshold_loosened_is_flagged(base: str) -> None:
    result = diff(base, edit(base, ('threshold: "> 0.05"', 'threshold: "> 0.10"')))
    [change] = result.changes
    assert (change.group, change.path, change.old, change.new) == (
        "rollback",
        f"{ERROR_TRIGGER}.threshold",
        "> 0.05",
        "> 0.10",
    )
    assert change.risk_up and "loosened" in change.reason


def test_trigger_threshold_tightened_is_not_flagged(base: str) -> None:
    result = diff(base, edit(base, ('threshold: "> 0.05"', 'threshold: ">= 0.02"')))
    assert [c.path for c in result.changes] == [f"{ERROR_TRIGGER}.threshold"]
    assert result.risk_flags == []


def test_below_threshold_lower_number_is_looser(base: str) -> None:
    old = edit(base, LATENCY_TRIGGER)
    looser = diff(old, edit(old, ('threshold: "< 0.99"', 'threshold: "< 0.95"')))
    assert [c.path for c in looser.risk_flags] == [
        "rollback.triggers[Success ratio below 99% for 10 minutes].threshold"
    ]
    tighter = diff(old, edit(old, ('threshold: "< 0.99"', 'threshold: "< 0.995"')))
    assert len(tighter.changes) == 1 and tighter.risk_flags == []


def test_trigger_window_longer_is_flagged_shorter_is_not(base: str) -> None:
    longer = diff(base, edit(base, ("window: 5m ", "window: 15m ")))
    [flag] = longer.risk_flags
    assert (flag.path, flag.old, flag.new) == (f"{ERROR_TRIGGER}.window", "5m", "15m")
    assert "fires later" in flag.reason
    shorter = diff(base, edit(base, ("window: 5m ", "window: 2m ")))
    assert len(shorter.changes) == 1 and shorter.risk_flags == []


def test_trigger_removed_is_flagged(base: str) -> None:
    result = diff(base, edit(base, ("    - condition: The checkout smoke suite fails\n", "")))
    [change] = result.changes
    assert (change.kind, change.path, change.risk_up) == (
        "removed",
        "rollback.triggers[The checkout smoke suite fails]",
        True,
    )
    assert "trigger 'The checkout smoke suite fails' removed" in change.reason


def test_trigger_matched_by_metric_when_its_text_changes(base: str) -> None:
    new = edit(
        base, ("condition: Error rate above 5% for 5 minutes", "condition: HTTP 5xx ratio over 5%")
    )
    result = diff(base, new)
    [change] = result.changes
    assert (change.kind, change.path) == (
        "changed",
        "rollback.triggers[HTTP 5xx ratio over 5%].condition",
    )
    assert result.risk_flags == []


def test_trigger_without_metric_matched_by_its_text(base: str) -> None:
    queue = (
        "    - condition: The checkout smoke suite fails\n",
        "    - condition: The checkout smoke suite fails\n"
        "    - condition: Queue depth above 1000 messages for 10 minutes\n",
    )
    old = edit(base, queue)
    looser = diff(old, edit(old, ("above 1000 messages", "above 5000 messages")))
    [change] = looser.changes
    assert (change.kind, change.path) == (
        "changed",
        "rollback.triggers[Queue depth above 5000 messages for 10 minutes].condition",
    )
    assert change.risk_up and "a higher number in its condition fires later" in change.reason
    tighter = diff(old, edit(old, ("above 1000 messages", "above 500 messages")))
    assert len(tighter.changes) == 1 and tighter.risk_flags == []
    # A bare number takes its direction from the condition's words.
    bare = edit(base, ('threshold: "> 0.05"', 'threshold: "0.05"'))
    assert len(diff(bare, edit(bare, ('threshold: "0.05"', 'threshold: "0.08"'))).risk_flags) == 1


def test_rollback_owner_changed_and_emptied(base: str) -> None:
    changed = diff(
        base, edit(base, ("owner: Dana Kowalski (Release Manager)", "owner: Alice Martin"))
    )
    [change] = changed.changes
    assert (change.path, change.old, change.new, change.risk_up) == (
        "rollback.owner",
        "Dana Kowalski (Release Manager)",
        "Alice Martin",
        False,
    )
    emptied = diff(base, edit(base, ("owner: Dana Kowalski (Release Manager)", 'owner: ""')))
    [flag] = emptied.risk_flags
    assert flag.path == "rollback.owner" and "rollback owner was removed" in flag.reason


def test_rollback_step_removed_is_flagged(base: str) -> None:
    old = edit(base, SECOND_ROLLBACK_STEP)
    result = diff(old, base)
    [change] = result.changes
    assert (change.group, change.kind, change.path, change.risk_up) == (
        "rollback",
        "removed",
        "rollback.steps[confirm-blue]",
        True,
    )
    assert "rollback step 'confirm-blue' removed" in change.reason
    added = diff(base, old)
    assert [(c.kind, c.risk_up) for c in added.changes] == [("added", False)]


def test_rollback_expected_duration_and_database(base: str) -> None:
    new = edit(
        base,
        ("expected_duration: 2m", "expected_duration: 5m"),
        (
            "    Leave migration 0042 in place: 2.9 ignores the new column.\n",
            "    Leave migration 0042 in place.\n",
        ),
    )
    assert kinds(diff(base, new)) == {
        ("changed", "rollback.expected_duration"),
        ("changed", "rollback.database"),
    }


# --- checklists, review, outcome --------------------------------------------------------------


def test_checklists_and_review(base: str) -> None:
    new = edit(
        base,
        ("      - On-call coverage confirmed\n", "      - Status page drafted\n"),
        ("      approved: 2026-11-18 ", "      approved: 2026-11-19 "),
    )
    result = diff(base, new)
    assert kinds(result) == {
        ("removed", "checklists[T-24 hours].items"),
        ("added", "checklists[T-24 hours].items"),
        ("changed", "review.reviewers[Dana Kowalski].approved"),
    }
    assert [c.group for c in result.changes] == ["checklists", "checklists", "review"]


def test_outcome_changed_added_removed(base: str) -> None:
    changed = diff(base, edit(base, ("result: success ", "result: success-with-issues ")))
    [change] = changed.changes
    assert (change.group, change.path, change.old, change.new) == (
        "outcome",
        "outcome.result",
        "success",
        "success-with-issues",
    )
    without = base[: base.index("outcome:")]
    removed = diff(base, without)
    assert [(c.kind, c.path, c.old) for c in removed.changes] == [("removed", "outcome", "success")]
    added = diff(without, base)
    assert [(c.kind, c.new) for c in added.changes] == [("added", "success")]


def test_a_plan_that_did_not_exist(base: str) -> None:
    result = diff_plans(None, plan(base))
    assert [(c.group, c.kind, c.new) for c in result.changes] == [
        ("plan", "added", "Checkout API 2.10 - card vault migration")
    ]
    assert diff_plans(None, None).same


# --- risk flags together ----------------------------------------------------------------------


def test_tightening_raises_no_flag(base: str) -> None:
    new = edit(
        base,
        ("level: high ", "level: medium "),
        ('threshold: "> 0.05"', 'threshold: "> 0.01"'),
        ("window: 5m ", "window: 1m "),
        ("      reversible: false\n", "      reversible: true\n      rollback: ./unbackfill\n"),
    )
    result = diff(base, new)
    assert kinds(result) == {
        ("changed", "risk.level"),
        ("changed", f"{ERROR_TRIGGER}.threshold"),
        ("changed", f"{ERROR_TRIGGER}.window"),
        ("changed", "migrations.items[0043].reversible"),
        ("added", "migrations.items[0043].rollback"),
    }
    assert result.risk_flags == []


def test_every_flag_has_a_reason(base: str) -> None:
    new = edit(
        base,
        ("level: high ", "level: critical "),
        ('threshold: "> 0.05"', 'threshold: "> 0.5"'),
        ("    - condition: The checkout smoke suite fails\n", ""),
        ("verify: pg_restore --list /backups/checkout-2.10.dump | head -n 5", ""),
    )
    flags = diff(base, new).risk_flags
    assert len(flags) == 4
    assert all(c.risk_up and c.reason for c in flags)


# --- the command and its output forms ---------------------------------------------------------


@pytest.fixture
def pair(base: str, tmp_path: Path) -> tuple[Path, Path]:
    """Two plan files: the example, and a version with many kinds of change."""
    old = tmp_path / "old" / "deployment-plan.yaml"
    new = tmp_path / "new" / "deployment-plan.yaml"
    old.parent.mkdir()
    new.parent.mkdir()
    old.write_text(base, encoding="utf-8")
    new.write_text(
        edit(
            base,
            ("status: completed", "status: approved"),
            ("level: high ", "level: critical "),
            ('threshold: "> 0.05"', 'threshold: "> 0.10"'),
            ("verify: pg_restore --list /backups/checkout-2.10.dump | head -n 5", ""),
            (
                "        command: curl -fsS https://checkout.example.com/healthz\n",
                "        command: |\n"
                "          echo ``` <b>&amp;</b> ```` done\n"
                "          curl -fsS https://checkout.example.com/healthz\n",
            ),
            NEW_STEP,
        ),
        encoding="utf-8",
    )
    return old, new


def test_cli_text(pair: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    old, new = pair
    assert main(["diff", str(old), str(new)]) == 1
    out = capsys.readouterr().out
    assert out.startswith(f"--- {old}\n+++ {new}\n")
    assert "Raises risk:" in out
    for title in ("Metadata", "Risk", "Phases", "Rollback"):
        assert f"\n{title}\n" in out
    assert "Strategy" not in out and "Roles" not in out  # unchanged parts are not listed
    assert "  changed  status: completed -> approved" in out
    assert "! raises risk: risk level raised from high to critical" in out
    # A folder holding a plan works as well as the file.
    assert main(["diff", str(old.parent), str(new.parent)]) == 1
    assert capsys.readouterr().out.splitlines()[3:] == out.splitlines()[3:]


def test_cli_json(pair: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    old, new = pair
    assert main(["diff", str(old), str(new), "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"old", "new", "same", "summary", "risk_flags", "changes"}
    assert data["same"] is False
    assert data["summary"]["changes"] == len(data["changes"])
    assert data["summary"]["risk_flags"] == len(data["risk_flags"]) == 3
    assert data["summary"]["groups"] == {"metadata": 1, "risk": 1, "phases": 3, "rollback": 1}
    for change in data["changes"]:
        assert set(change) == {
            "group", "path", "kind", "label", "old", "new", "code", "diff", "details",
            "risk_up", "reason",
        }  # fmt: skip
        assert change["kind"] in ("added", "removed", "changed", "moved", "renamed")
    flag = next(f for f in data["risk_flags"] if f["path"] == "risk.level")
    assert flag == {
        "group": "risk",
        "path": "risk.level",
        "reason": "risk level raised from high to critical",
    }
    step = next(c for c in data["changes"] if c["kind"] == "added")
    assert {"name": "command", "value": "./vault warm --service checkout", "code": True} in step[
        "details"
    ]


_FENCE_RE = re.compile(r"^(`{3,})([a-z]*)\n(.*?)\n\1$", re.M | re.S)
_CODE_RE = re.compile(r'<pre><code class="language-(\w+)">(.*?)</code></pre>', re.S)


def test_cli_markdown(pair: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    old, new = pair
    assert main(["diff", str(old), str(new), "--format", "markdown"]) == 1
    text = capsys.readouterr().out
    fences = _FENCE_RE.findall(text)
    assert fences
    for fence, _lang, body in fences:
        longest = max((len(run) for run in re.findall(r"`+", body)), default=0)
        assert len(fence) > longest
    # No raw HTML outside code: plan text is escaped.
    prose = _FENCE_RE.sub("", text)
    prose = re.sub(r"(`+).*?\1", "", prose)
    assert "<" not in prose
    rendered = markdown.markdown(text, extensions=["fenced_code"])
    assert "<b>" not in rendered
    blocks = [(lang, html.unescape(body)) for lang, body in _CODE_RE.findall(rendered)]
    # The new step's command and verify come through byte for byte.
    assert ("sh", "./vault warm --service checkout\n") in blocks
    assert ("sh", "./vault stats | grep -q warm\n") in blocks
    # The changed command, with its backtick runs, is an intact line diff.
    diffs = [body for lang, body in blocks if lang == "diff"]
    assert (
        "+echo ``` <b>&amp;</b> ```` done\n+curl -fsS https://checkout.example.com/healthz\n"
        in "".join(diffs)
    )
    assert "### Risk" in text and "### Strategy" not in text
    assert "**Raises risk:**" in text


def test_to_markdown_options(base: str) -> None:
    result = diff(base, edit(base, ("status: completed", "status: approved")))
    body = to_markdown(result, heading_level=0, header=False)
    assert body.startswith("**Metadata**\n")
    assert "completed → approved" in body
    assert to_markdown(diff(base, base)).startswith("No changes")
    assert to_text(diff(base, base)).endswith("no changes\n")


def test_cli_invalid_plan_exits_2(
    base: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "good.yaml"
    bad = tmp_path / "bad.yaml"
    good.write_text(base, encoding="utf-8")
    bad.write_text(edit(base, ("status: completed", "status: doneish")), encoding="utf-8")
    assert main(["diff", str(good), str(bad)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "is not a valid plan" in captured.err
    assert "status: invalid value 'doneish'" in captured.err
    assert main(["diff", str(good), str(tmp_path / "nope.yaml")]) == 2
    assert "no such file or folder" in capsys.readouterr().err


# --- git refs ---------------------------------------------------------------------------------

PLAN = "plans/checkout-api/2026-11-20-2.10/deployment-plan.yaml"


def git(cwd: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.com",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.com",
        "GIT_CONFIG_NOSYSTEM": "1",
        "HOME": str(cwd),
    }
    result = subprocess.run(
        ["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=True
    )
    return result.stdout


@pytest.fixture
def repo(base: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git repository (cwd) with the example plan committed on main, then edited."""
    if shutil.which("git") is None:  # pragma: no cover
        pytest.skip("git is not installed")
    root = tmp_path / "repo"
    (root / PLAN).parent.mkdir(parents=True)
    git(root, "init", "-q", "-b", "main")
    (root / PLAN).write_text(base, encoding="utf-8")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "plan")
    (root / PLAN).write_text(edit(base, ("level: high ", "level: critical ")), encoding="utf-8")
    monkeypatch.chdir(root)
    return root


def test_git_ref_against_working_file(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", f"HEAD:{PLAN}", PLAN]) == 1
    out = capsys.readouterr().out
    assert out.startswith(f"--- HEAD:{PLAN}\n+++ {PLAN}\n")
    assert "changed  risk.level: high -> critical" in out
    assert main(["diff", f"main:{PLAN}", f"HEAD:{PLAN}"]) == 0
    capsys.readouterr()
    # A plan's folder at a ref works too.
    assert main(["diff", f"main:{Path(PLAN).parent.as_posix()}", PLAN, "--format", "json"]) == 1
    assert json.loads(capsys.readouterr().out)["summary"]["changes"] == 1


def test_git_trouble_exits_2(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert main(["diff", f"nope:{PLAN}", PLAN]) == 2
    assert "unknown git ref 'nope'" in capsys.readouterr().err
    assert main(["diff", "HEAD:plans/other/deployment-plan.yaml", PLAN]) == 2
    assert "'plans/other/deployment-plan.yaml' does not exist at HEAD" in capsys.readouterr().err
    # A ref that git would read as an option is refused.
    assert main(["diff", "--", f"--output=x:{PLAN}", PLAN]) == 2
    assert "invalid git ref '--output=x'" in capsys.readouterr().err
    assert not (repo / "x").exists()
    outside = tmp_path / "outside"
    outside.mkdir()
    shutil.copy(repo / PLAN, outside / "deployment-plan.yaml")
    monkeypatch.chdir(outside)
    assert main(["diff", f"HEAD:{PLAN}", "deployment-plan.yaml"]) == 2
    assert "not a git repository" in capsys.readouterr().err


def test_gitref_api(repo: Path, base: str) -> None:
    assert show_file("main", PLAN) == base.encode("utf-8")
    assert list_plan_files("main", "plans") == [PLAN]
    assert list_plan_files("main", "plans/none") == []
    loaded = load_plan_at("main", PLAN, REGISTRY)
    assert loaded.plan is not None and loaded.display == f"main:{PLAN}"
    with pytest.raises(GitError, match="unknown git ref"):
        list_plan_files("missing-branch", "plans")
    with pytest.raises(GitError, match="is a folder"):
        show_file("main", "plans")


def test_pre_commit_hook_definition() -> None:
    import yaml

    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    [hook] = [h for h in hooks if h["id"] == "mkdocs-runbooks-validate"]
    assert hook["entry"] == "mkdocs-runbooks validate"
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is True
    pattern = re.compile(hook["files"])
    assert pattern.search("plans/a/deployment-plan.yaml")
    assert pattern.search("deployment-plan.yml")
    assert not pattern.search("plans/a/old-deployment-plan.yaml")
    assert not pattern.search("plans/a/deployment-plan.yaml.bak")
