"""Best-practice rules (``mkdocs_runbooks.lint``): each fires where it should and nowhere else.

Every rule has at least one case below that makes it fire on a small edit of ``BASE`` (a
plan with no finding at all) and a nearly identical edit that keeps it quiet. The fixture
plans in ``tests/lint_fixtures/`` each name in a header comment the exact rules they must
trigger. The calibration tests hold the rules to the plans that were written to be good.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from mkdocs_runbooks.cli import main
from mkdocs_runbooks.lint import RULES, Rule, lint_all, lint_plan, rule
from mkdocs_runbooks.lint.rollback import is_measurable
from mkdocs_runbooks.load import LoadedPlan, load_plan, load_plans, load_text
from mkdocs_runbooks.model import Trigger
from mkdocs_runbooks.patterns import PatternRegistry, load_patterns
from mkdocs_runbooks.problems import Problem

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "lint_fixtures"
SHOWN = "plans/payments-api/2026-03-10-3.4/deployment-plan.yaml"

# A good plan: no finding at all. Line numbers in CASES refer to it (after the edits).
BASE = """\
service: payments-api
release: "3.4"
environment: production
date: 2026-03-10
status: completed
risk:
  level: high
  breaking_changes: true
  user_impact: moderate
strategy:
  pattern: blue-green
  rationale: Instant switch back to blue if a trigger fires.
roles:
  - role: Deployment Lead
    name: Ana Silva
  - role: Technical Executor
    name: Ben Okoro
  - role: Monitoring Observer
    name: Cleo Park
migrations:
  strategy: expand-contract
  items:
    - id: "0101"
      description: Add nullable column payments.region
      phase: expand
      command: alembic upgrade 0101
      rollback: alembic downgrade 0100
      tested_in: staging
phases:
  - phase: pre-deployment
    steps:
      - title: Back up the payments database
        owner: Technical Executor
        command: pg_dump --format=custom --file=/backups/payments-3.4.dump "$DB_URL"
        expected: pg_dump exits 0.
        verify: pg_restore --list /backups/payments-3.4.dump | head -n 5
  - phase: database-migration
    steps:
      - title: Apply migration 0101
        owner: Technical Executor
        command: alembic upgrade 0101
        expected: Alembic prints "Running upgrade 0100 -> 0101".
        verify: alembic current | grep -q 0101
  - phase: application-deployment
    steps:
      - title: Deploy 3.4 to green and switch traffic
        owner: Ben Okoro
        command: ./deploy green 3.4 && ./lb switch payments --to green
        expected: Green serves 100% of requests.
        verify: "./lb status payments | grep -q 'active: green'"
  - phase: smoke-testing
    steps:
      - title: Run the smoke suite
        owner: Technical Executor
        command: pytest smoke/ --base-url https://payments.example.com
        expected: All smoke tests pass.
        verify: test -s smoke-report.xml && ! grep -q '<failure' smoke-report.xml
  - phase: monitoring
    duration: 30m
    steps:
      - title: Watch the error rate for 30 minutes
        owner: Cleo Park
        expected: Error rate stays under 1%.
rollback:
  owner: Ana Silva
  triggers:
    - condition: Error rate above 2% for 5 minutes
      window: 5m
  steps:
    - title: Switch traffic back to blue
      owner: Technical Executor
      command: ./lb switch payments --to blue
      expected: Blue serves 100% of requests.
      verify: "./lb status payments | grep -q 'active: blue'"
review:
  reviewers:
    - name: Dora Lin
      role: Release Manager
      approved: 2026-03-08
outcome:
  result: success
"""

# Pieces of BASE that several cases move or remove.
SMOKE_PHASE = """\
  - phase: smoke-testing
    steps:
      - title: Run the smoke suite
        owner: Technical Executor
        command: pytest smoke/ --base-url https://payments.example.com
        expected: All smoke tests pass.
        verify: test -s smoke-report.xml && ! grep -q '<failure' smoke-report.xml
"""
MIGRATION_PHASE = """\
  - phase: database-migration
    steps:
      - title: Apply migration 0101
        owner: Technical Executor
        command: alembic upgrade 0101
        expected: Alembic prints "Running upgrade 0100 -> 0101".
        verify: alembic current | grep -q 0101
"""
MONITORING_PHASE = """\
  - phase: monitoring
    duration: 30m
    steps:
      - title: Watch the error rate for 30 minutes
        owner: Cleo Park
        expected: Error rate stays under 1%.
"""
MIGRATION_ITEMS = """\
  items:
    - id: "0101"
      description: Add nullable column payments.region
      phase: expand
      command: alembic upgrade 0101
      rollback: alembic downgrade 0100
      tested_in: staging
"""
BACKUP_STEP = """\
      - title: Back up the payments database
        owner: Technical Executor
        command: pg_dump --format=custom --file=/backups/payments-3.4.dump "$DB_URL"
        expected: pg_dump exits 0.
        verify: pg_restore --list /backups/payments-3.4.dump | head -n 5
"""
DISK_STEP = """\
      - title: Check free disk space on the database host
        owner: Technical Executor
        command: df -h /var/lib/postgresql
        expected: At least 20 GB free.
        verify: test "$(df --output=avail -BG /var/lib/postgresql | tail -n 1 | tr -dc 0-9)" -ge 20
"""
APP_COMMAND = "        command: ./deploy green 3.4 && ./lb switch payments --to green\n"
SMOKE_COMMAND = "        command: pytest smoke/ --base-url https://payments.example.com\n"
SMOKE_EXPECTED = "        expected: All smoke tests pass.\n"
SMOKE_VERIFY = "        verify: test -s smoke-report.xml && ! grep -q '<failure' smoke-report.xml\n"
MONITOR_EXPECTED = "        expected: Error rate stays under 1%.\n"
ROLLBACK_VERIFY = """      verify: "./lb status payments | grep -q 'active: blue'"\n"""
ROLLBACK_OWNER = "      owner: Technical Executor\n      command: ./lb switch payments --to blue\n"
ROLLBACK_EXPECTED = "      expected: Blue serves 100% of requests.\n"
ITEM_ROLLBACK = "      rollback: alembic downgrade 0100\n"
ITEM_PHASE = "      phase: expand\n"
TRIGGER = "    - condition: Error rate above 2% for 5 minutes\n"
REVIEW = """\
review:
  reviewers:
    - name: Dora Lin
      role: Release Manager
      approved: 2026-03-08
"""
EXTRA_ITEM = """\
      tested_in: staging
    - id: "0102"
      description: Drop column payments.legacy_region
      phase: {phase}
      breaking: {breaking}
      reversible: false
      command: alembic upgrade 0102
      tested_in: staging
"""

Edit = tuple[str, str]


def edit(*edits: Edit, text: str = BASE) -> str:
    """``text`` with each ``(old, new)`` applied; ``old`` must occur exactly once."""
    for old, new in edits:
        assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
        text = text.replace(old, new)
    return text


@pytest.fixture(scope="module")
def registry() -> PatternRegistry:
    return load_patterns()


def loaded(text: str, registry: PatternRegistry) -> LoadedPlan:
    plan = load_text(text, SHOWN, registry)
    assert plan.ok, "\n".join(p.text() for p in plan.problems)
    return plan


def findings(text: str, registry: PatternRegistry) -> list[Problem]:
    return lint_plan(loaded(text, registry))


def rule_ids(problems: list[Problem]) -> set[str]:
    return {p.rule for p in problems if p.rule}


def brief(problems: list[Problem]) -> list[str]:
    return [f"{p.rule} {p.line}:{p.col} {p.path}" for p in problems]


# --- the base plan ------------------------------------------------------------------------------


def test_base_plan_has_no_finding(registry: PatternRegistry) -> None:
    assert findings(BASE, registry) == []


def test_every_rule_is_registered_from_its_family_module() -> None:
    families = {
        **{"1": "steps", "2": "strategy", "3": "migrations"},
        **{"4": "rollback", "5": "process", "6": "todo"},
    }
    expected = {
        *(f"RB10{n}" for n in range(1, 8)),
        *(f"RB20{n}" for n in range(1, 5)),
        *(f"RB30{n}" for n in range(1, 6)),
        *(f"RB40{n}" for n in range(1, 4)),
        *(f"RB50{n}" for n in range(1, 4)),
        "RB601",
    }
    assert set(RULES) == expected
    for rule_id, item in RULES.items():
        assert isinstance(item, Rule)
        assert item.check.__module__ == f"mkdocs_runbooks.lint.{families[rule_id[2]]}"
        assert item.severity in ("error", "warning", "info")
        assert item.summary


# --- one case per rule: fires, and a nearly identical plan that stays quiet --------------------


@dataclass(frozen=True)
class Case:
    name: str
    rule: str
    severity: str
    fire: tuple[Edit, ...]
    at: str
    """``line:col`` of the finding in the edited plan."""
    path: str
    quiet: tuple[Edit, ...]
    also: frozenset[str] = field(default_factory=frozenset)
    """Other rules the firing edit triggers too (the quiet edit triggers none)."""


CASES = [
    Case(
        "RB101-no-command-in-deployment",
        "RB101",
        "warning",
        fire=((APP_COMMAND, ""),),
        at="46:9",
        path="phases[2].steps[0]",
        # The same step without a command in smoke testing (manual checks are fine there).
        quiet=((SMOKE_COMMAND, ""),),
    ),
    Case(
        "RB107-bidi-override-in-command",
        "RB107",
        "error",
        fire=((SMOKE_COMMAND, '        command: "pytest smoke/ \\u202E# --base-url"\n'),),
        at="55:18",
        path="phases[3].steps[0].command",
        # The same command with the text as it shows: no hidden character.
        quiet=((SMOKE_COMMAND, '        command: "pytest smoke/ # --base-url"\n'),),
    ),
    Case(
        "RB102-no-verify",
        "RB102",
        "warning",
        fire=((SMOKE_VERIFY, ""),),
        at="53:9",
        path="phases[3].steps[0]",
        # A monitoring step needs only one of verify and expected (BASE has expected only).
        quiet=((MONITOR_EXPECTED, "        verify: ./alerts list --state firing | wc -l\n"),),
    ),
    Case(
        "RB102-monitoring-without-verify-or-expected",
        "RB102",
        "warning",
        fire=((MONITOR_EXPECTED, ""),),
        at="61:9",
        path="phases[4].steps[0]",
        quiet=((MONITOR_EXPECTED, MONITOR_EXPECTED.replace("rate stays", "rate remains")),),
    ),
    Case(
        "RB103-command-without-expected",
        "RB103",
        "warning",
        fire=((SMOKE_EXPECTED, ""),),
        at="53:9",
        path="phases[3].steps[0]",
        # Without its command, the step needs no expected output.
        quiet=((SMOKE_EXPECTED, ""), (SMOKE_COMMAND, "")),
    ),
    Case(
        "RB103-rollback-command-without-expected",
        "RB103",
        "warning",
        fire=((ROLLBACK_EXPECTED, ""),),
        at="70:7",
        path="rollback.steps[0]",
        quiet=((ROLLBACK_EXPECTED, ""), (ROLLBACK_OWNER, "      owner: Technical Executor\n")),
    ),
    Case(
        "RB104-missing-smoke-testing",
        "RB104",
        "warning",
        fire=((SMOKE_PHASE, ""),),
        at="30:3",
        path="phases",
        # database-migration is expected only when there are migrations.
        quiet=((MIGRATION_PHASE, ""), (MIGRATION_ITEMS, "  items: []\n")),
    ),
    Case(
        "RB105-monitoring-before-smoke-testing",
        "RB105",
        "warning",
        fire=((SMOKE_PHASE + MONITORING_PHASE, MONITORING_PHASE + SMOKE_PHASE),),
        at="57:12",
        path="phases[4].phase",
        # A phase of the plan's own between standard phases does not disturb their order.
        quiet=(
            (
                SMOKE_PHASE,
                "  - phase: warm-up\n    steps:\n      - title: Let caches warm up for 10 minutes\n"
                "        verify: ./cache-stats --min-hit-ratio 0.9\n" + SMOKE_PHASE,
            ),
        ),
    ),
    Case(
        "RB106-rollback-owner-typo",
        "RB106",
        "warning",
        fire=((ROLLBACK_OWNER, ROLLBACK_OWNER.replace("Executor", "Executer")),),
        at="71:14",
        path="rollback.steps[0].owner",
        # Owners match roles and names case-insensitively.
        quiet=(
            (ROLLBACK_OWNER, ROLLBACK_OWNER.replace("Technical Executor", "technical executor")),
        ),
    ),
    Case(
        "RB201-high-risk-rolling",
        "RB201",
        "warning",
        fire=(("  pattern: blue-green\n", "  pattern: rolling\n"),),
        at="11:12",
        path="strategy.pattern",
        quiet=(
            ("  pattern: blue-green\n", "  pattern: rolling\n"),
            ("level: high", "level: medium"),
        ),
    ),
    Case(
        "RB202-recreate-in-production-without-downtime",
        "RB202",
        "warning",
        fire=(("  pattern: blue-green\n", "  pattern: recreate\n"), ("level: high", "level: low")),
        at="11:3",
        path="strategy",
        quiet=(
            (
                "  pattern: blue-green\n",
                "  pattern: recreate\n  parameters:\n    expected_downtime: 10m\n",
            ),
            ("level: high", "level: low"),
        ),
    ),
    Case(
        "RB202-recreate-with-critical-user-impact",
        "RB202",
        "warning",
        fire=(
            (
                "  pattern: blue-green\n",
                "  pattern: recreate\n  parameters:\n    expected_downtime: 10m\n",
            ),
            ("level: high", "level: low"),
            ("user_impact: moderate", "user_impact: critical"),
        ),
        at="9:16",
        path="risk.user_impact",
        quiet=(
            (
                "  pattern: blue-green\n",
                "  pattern: recreate\n  parameters:\n    expected_downtime: 10m\n",
            ),
            ("level: high", "level: low"),
        ),
    ),
    Case(
        "RB203-canary-steps-not-increasing",
        "RB203",
        "error",
        fire=(
            (
                "  pattern: blue-green\n",
                "  pattern: canary\n  parameters:\n    steps: [5, '25%', 25, 100]\n",
            ),
        ),
        at="13:12",
        path="strategy.parameters.steps",
        quiet=(
            (
                "  pattern: blue-green\n",
                "  pattern: canary\n  parameters:\n    steps: [5, '25%', 50, 100]\n",
            ),
        ),
    ),
    Case(
        "RB203-canary-steps-not-ending-at-100",
        "RB203",
        "error",
        fire=(
            (
                "  pattern: blue-green\n",
                "  pattern: canary\n  parameters:\n    steps:\n      - 10%\n      - 50%\n",
            ),
        ),
        at="14:7",
        path="strategy.parameters.steps",
        quiet=(
            (
                "  pattern: blue-green\n",
                "  pattern: canary\n  parameters:\n    steps:\n      - 10%\n      - 100%\n",
            ),
        ),
    ),
    Case(
        "RB204-breaking-changes-without-expand-contract",
        "RB204",
        "warning",
        fire=(("strategy: expand-contract", "strategy: direct"), (ITEM_PHASE, "")),
        at="8:21",
        path="risk.breaking_changes",
        # A migration with a phase is expand-contract whatever migrations.strategy says.
        quiet=(("strategy: expand-contract", "strategy: direct"),),
    ),
    Case(
        "RB301-contract-in-blue-green",
        "RB301",
        "error",
        fire=(
            ("      tested_in: staging\n", EXTRA_ITEM.format(phase="contract", breaking="false")),
        ),
        at="31:14",
        path="migrations.items[1].phase",
        # Irreversible but not breaking (and not contract) is fine.
        quiet=(
            ("      tested_in: staging\n", EXTRA_ITEM.format(phase="migrate", breaking="false")),
        ),
    ),
    Case(
        "RB301-irreversible-breaking-in-blue-green",
        "RB301",
        "error",
        fire=(("      tested_in: staging\n", EXTRA_ITEM.format(phase="migrate", breaking="true")),),
        at="32:17",
        path="migrations.items[1].breaking",
        quiet=(
            ("      tested_in: staging\n", EXTRA_ITEM.format(phase="migrate", breaking="false")),
        ),
    ),
    Case(
        "RB302-irreversible-without-backup",
        "RB302",
        "warning",
        fire=((ITEM_ROLLBACK, "      reversible: false\n"), (BACKUP_STEP, DISK_STEP)),
        at="27:19",
        path="migrations.items[0].reversible",
        # The backup step of BASE is a way back.
        quiet=((ITEM_ROLLBACK, "      reversible: false\n"),),
    ),
    Case(
        "RB303-breaking-without-phase",
        "RB303",
        "warning",
        fire=((ITEM_PHASE, "      breaking: true\n"),),
        at="25:17",
        path="migrations.items[0].breaking",
        quiet=((ITEM_PHASE, "      breaking: false\n"),),
    ),
    Case(
        "RB304-not-tested",
        "RB304",
        "info",
        fire=(("      tested_in: staging\n", ""),),
        at="23:7",
        path="migrations.items[0]",
        quiet=(("      tested_in: staging\n", "      tested_in: staging (copy of production)\n"),),
    ),
    Case(
        "RB305-no-migration-phase",
        "RB305",
        "warning",
        fire=((MIGRATION_PHASE, ""),),
        at="23:5",
        path="migrations.items",
        quiet=((MIGRATION_PHASE, ""), (MIGRATION_ITEMS, "  items: []\n")),
        also=frozenset({"RB104"}),
    ),
    Case(
        "RB401-no-measurable-trigger",
        "RB401",
        "warning",
        fire=((TRIGGER, "    - condition: Checkout looks broken to support\n"),),
        at="67:5",
        path="rollback.triggers",
        # A metric with a threshold makes the same condition measurable.
        quiet=(
            (
                TRIGGER,
                "    - condition: Checkout looks broken to support\n"
                "      metric: support_tickets_checkout\n"
                "      threshold: above the weekly baseline\n",
            ),
        ),
    ),
    Case(
        "RB402-window-longer-than-monitoring",
        "RB402",
        "warning",
        fire=(("      window: 5m\n", "      window: 45m\n"),),
        at="68:15",
        path="rollback.triggers[0].window",
        quiet=(("      window: 5m\n", "      window: 30m\n"),),
    ),
    Case(
        "RB403-rollback-step-without-verify",
        "RB403",
        "warning",
        fire=((ROLLBACK_VERIFY, ""),),
        at="70:7",
        path="rollback.steps[0]",
        quiet=((ROLLBACK_VERIFY, ROLLBACK_VERIFY.replace("grep -q", "grep -qF")),),
    ),
    Case(
        "RB501-missing-monitoring-observer",
        "RB501",
        "warning",
        fire=(("role: Monitoring Observer", "role: Observer"),),
        at="14:3",
        path="roles",
        # Roles match case-insensitively.
        quiet=(("role: Monitoring Observer", "role: monitoring observer"),),
    ),
    Case(
        "RB502-completed-without-approval",
        "RB502",
        "warning",
        fire=(("      approved: 2026-03-08\n", ""),),
        at="77:5",
        path="review.reviewers",
        quiet=(
            ("      approved: 2026-03-08\n", ""),
            ("status: completed", "status: in-review"),
            ("outcome:\n  result: success\n", ""),
        ),
    ),
    Case(
        "RB502-scheduled-without-review",
        "RB502",
        "warning",
        fire=(
            ("status: completed", "status: scheduled"),
            (REVIEW, ""),
            ("outcome:\n  result: success\n", ""),
        ),
        at="5:9",
        path="status",
        quiet=(("status: completed", "status: scheduled"), ("outcome:\n  result: success\n", "")),
    ),
    Case(
        "RB503-completed-without-outcome",
        "RB503",
        "error",
        fire=(("outcome:\n  result: success\n", ""),),
        at="5:9",
        path="status",
        quiet=(("outcome:\n  result: success\n", ""), ("status: completed", "status: in-progress")),
    ),
    Case(
        "RB503-completed-but-rolled-back",
        "RB503",
        "error",
        fire=(("result: success", "result: rolled-back"),),
        at="81:11",
        path="outcome.result",
        quiet=(
            ("result: success", "result: rolled-back"),
            ("status: completed", "status: rolled-back"),
        ),
    ),
    Case(
        "RB601-todo-placeholder",
        "RB601",
        "warning",
        fire=(
            (
                "rationale: Instant switch back to blue if a trigger fires.",
                'rationale: "TODO: why blue-green fits"',
            ),
        ),
        at="12:14",
        path="strategy.rationale",
        # The word TODO in prose is not a placeholder; only "TODO:" or a bare "TODO" is.
        quiet=(
            (
                "rationale: Instant switch back to blue if a trigger fires.",
                "rationale: Instant switch back to blue; open TODOs are in the wiki.",
            ),
        ),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_rule_fires(case: Case, registry: PatternRegistry) -> None:
    found = findings(edit(*case.fire), registry)
    assert rule_ids(found) == {case.rule} | case.also, brief(found)
    mine = [f for f in found if f.rule == case.rule]
    assert len(mine) == 1, brief(mine)
    got = mine[0]
    assert got.severity == case.severity == RULES[case.rule].severity
    assert (f"{got.file}:{got.line}:{got.col}", got.path) == (f"{SHOWN}:{case.at}", case.path)
    assert got.text().startswith(f"{SHOWN}:{case.at}: {case.path}: {case.severity} {case.rule}: ")


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_rule_quiet_on_a_nearly_identical_plan(case: Case, registry: PatternRegistry) -> None:
    assert brief(findings(edit(*case.quiet), registry)) == []


def test_every_rule_has_a_case() -> None:
    assert {case.rule for case in CASES} == set(RULES)


# --- messages ---------------------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_message_says_what_why_and_how(case: Case, registry: PatternRegistry) -> None:
    (got,) = [f for f in findings(edit(*case.fire), registry) if f.rule == case.rule]
    what, _, rest = got.message.partition(": ")
    why, _, fix = rest.rpartition("; ")
    assert what and why and fix, got.message
    assert "\n" not in got.message


# --- finer points of single rules ---------------------------------------------------------------


@pytest.mark.parametrize(
    "condition",
    [
        "Error rate above 5%",
        "p99 latency over 800 ms",
        "Queue not drained after 10 minutes",
        "Ratio > 0.05",
        "Zero-result rate 2 percentage points above last week",
        "Throughput drops under 200 rps",
    ],
)
def test_measurable_conditions(condition: str) -> None:
    assert is_measurable(Trigger(condition=condition))


@pytest.mark.parametrize(
    "condition",
    ["The checkout smoke suite fails", "Support reports broken payments", "v2 looks slow"],
)
def test_unmeasurable_conditions(condition: str) -> None:
    assert not is_measurable(Trigger(condition=condition))
    assert is_measurable(Trigger(condition=condition, metric="m", threshold="> 1"))
    assert not is_measurable(Trigger(condition=condition, metric="m"))


def test_each_problem_is_reported_once_per_place(registry: PatternRegistry) -> None:
    text = edit(
        ("  pattern: blue-green\n", "  pattern: canary\n  parameters:\n    steps: [50, 10, 75]\n"),
    )
    found = findings(text, registry)
    assert [(f.rule, f.path) for f in found] == [
        ("RB203", "strategy.parameters.steps"),
        ("RB203", "strategy.parameters.steps"),
    ]
    assert "10 after 50" in found[0].message
    assert "end at 75, not 100" in found[1].message


def test_standard_phase_order_reports_each_late_phase(registry: PatternRegistry) -> None:
    text = edit(
        (
            MIGRATION_PHASE + "  - phase: application-deployment\n",
            "  - phase: application-deployment\n",
        )
    )
    text = edit(
        ("  - phase: smoke-testing\n", MIGRATION_PHASE + "  - phase: smoke-testing\n"), text=text
    )
    found = findings(text, registry)
    assert brief(found) == ["RB105 44:12 phases[2].phase"]
    assert "'database-migration' comes after 'application-deployment'" in found[0].message


def test_backup_is_recognised_by_id_title_or_command(registry: PatternRegistry) -> None:
    irreversible = (ITEM_ROLLBACK, "      reversible: false\n")
    for step in (
        DISK_STEP.replace("      - title:", "      - id: db-snapshot\n        title:"),
        DISK_STEP.replace("df -h /var/lib/postgresql", "pg_dumpall > /backups/all.sql"),
        DISK_STEP.replace("Check free disk space", "Take a BACKUP"),
    ):
        assert findings(edit(irreversible, (BACKUP_STEP, step)), registry) == []
    rollback_plan = "  rollback_plan: Restore the table from the nightly base backup.\nphases:\n"
    with_plan = edit(irreversible, (BACKUP_STEP, DISK_STEP), ("phases:\n", rollback_plan))
    assert findings(with_plan, registry) == []


def test_owner_may_be_a_person_in_any_case(registry: PatternRegistry) -> None:
    text = edit(("        owner: Ben Okoro\n", "        owner: BEN  okoro\n"))
    assert findings(text, registry) == []


# --- lint.ignore and disabled rules -------------------------------------------------------------


def test_lint_ignore_silences_a_rule(registry: PatternRegistry) -> None:
    untested = edit(("      tested_in: staging\n", ""))
    assert rule_ids(findings(untested, registry)) == {"RB304"}
    ignored = (
        untested + "lint:\n  ignore:\n    RB304: Rehearsed on a production snapshot by the DBA.\n"
    )
    assert findings(ignored, registry) == []
    other = untested + "lint:\n  ignore:\n    RB101: Not this one.\n"
    assert rule_ids(findings(other, registry)) == {"RB304"}


def test_disabled_rules_and_invalid_plans(registry: PatternRegistry) -> None:
    plan = loaded(edit(("      tested_in: staging\n", "")), registry)
    assert lint_plan(plan, disabled=["RB304"]) == []
    invalid = load_text("service: x\n", "x.yaml", registry)
    lint_all([plan, invalid], disabled=["RB101"])
    assert rule_ids(plan.findings) == {"RB304"}
    assert invalid.findings == []


def test_rule_ids_are_unique() -> None:
    with pytest.raises(ValueError, match="RB101 is registered twice"):
        rule("RB101", "warning", "again")(RULES["RB101"].check)


# --- realistic bad plans ------------------------------------------------------------------------

EXPECT_RE = re.compile(r"^# expect: *(.*)$", re.MULTILINE)


def fixture_plans() -> list[Path]:
    return sorted(FIXTURES.glob("*/deployment-plan.yaml"))


def expected_rules(path: Path) -> set[str]:
    match = EXPECT_RE.search(path.read_text(encoding="utf-8"))
    assert match, f"{path} has no '# expect: RB...' header"
    return set(re.findall(r"RB\d{3}", match.group(1)))


def test_there_are_enough_fixtures() -> None:
    plans = fixture_plans()
    assert len(plans) >= 6
    covered = set().union(*(expected_rules(p) for p in plans))
    assert covered == set(RULES)


@pytest.mark.parametrize("path", fixture_plans(), ids=lambda p: p.parent.name)
def test_fixture_fires_exactly_its_listed_rules(path: Path, registry: PatternRegistry) -> None:
    plan = load_plan(path, registry, display=path.relative_to(ROOT).as_posix())
    assert plan.ok, "\n".join(p.text() for p in plan.problems)
    found = lint_plan(plan)
    assert rule_ids(found) == expected_rules(path), "\n".join(f.text() for f in found)


# --- calibration: plans written to be good ------------------------------------------------------


def test_spec_example_has_no_finding(spec_example: Path, registry: PatternRegistry) -> None:
    plan = load_plan(spec_example, registry)
    assert plan.ok
    assert [f.text() for f in lint_plan(plan)] == []


def test_spec_minimal_has_no_error_finding(spec_minimal: Path, registry: PatternRegistry) -> None:
    plan = load_plan(spec_minimal, registry)
    assert plan.ok
    assert [f.text() for f in lint_plan(plan) if f.severity == "error"] == []


def test_repository_plans_have_no_finding(registry: PatternRegistry) -> None:
    plans, ignored = load_plans(ROOT / "plans", registry, display_root=ROOT)
    assert len(plans) >= 11
    assert ignored == []
    assert all(p.ok for p in plans), [q.text() for p in plans for q in p.problems]
    lint_all(plans)
    assert [f.text() for p in plans for f in p.findings] == []


# --- the command line ---------------------------------------------------------------------------


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def put(site: Path, text: str) -> str:
    path = site / SHOWN
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return SHOWN


def test_strict_fails_on_a_warning_finding(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    put(site, edit((ROLLBACK_VERIFY, "")))
    assert main(["validate", "plans"]) == 0
    assert main(["validate", "--strict", "plans"]) == 1
    out = capsys.readouterr().out
    assert f"{SHOWN}:70:7: rollback.steps[0]: warning RB403: rollback step " in out


def test_strict_passes_without_warning_findings(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    put(site, BASE)
    assert main(["validate", "--strict", "plans"]) == 0
    assert capsys.readouterr().out.endswith("0 invalid, 0 findings\n")
    put(site, edit(("      tested_in: staging\n", "")))  # an info finding only
    assert main(["validate", "--strict", "plans"]) == 0
    assert "info RB304: migration '0101' has no `tested_in`" in capsys.readouterr().out


def test_strict_fails_on_an_error_finding(site: Path) -> None:
    put(site, edit(("outcome:\n  result: success\n", "")))
    assert main(["validate", "plans"]) == 0
    assert main(["validate", "--strict", "plans"]) == 1


def test_json_includes_findings(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    put(site, edit((ROLLBACK_VERIFY, ""), ("      tested_in: staging\n", "")))
    assert main(["validate", "--format", "json", "plans"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["summary"]["findings"] == 2
    got = [(p["rule"], p["severity"], p["line"], p["col"], p["path"]) for p in report["problems"]]
    assert got == [
        ("RB403", "warning", 69, 7, "rollback.steps[0]"),
        ("RB304", "info", 23, 7, "migrations.items[0]"),
    ]
    assert all(p["file"] == SHOWN for p in report["problems"])


def test_github_annotations(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    put(site, edit((ROLLBACK_VERIFY, ""), ("      tested_in: staging\n", "")))
    assert main(["validate", "--format", "github", "plans"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith(
        f"::warning file={SHOWN},line=69,col=7,title=RB403::rollback.steps[0]: rollback step "
    )
    assert lines[1].startswith(
        f"::notice file={SHOWN},line=23,col=7,title=RB304::migrations.items[0]: migration "
    )


def test_cli_on_the_fixtures(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copytree(FIXTURES, site / "plans")
    assert main(["validate", "--format", "json", "plans"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["summary"]["invalid"] == 0
    assert {p["rule"] for p in report["problems"]} == set(RULES)


# --- docs/rules.md ------------------------------------------------------------------------------


def test_every_rule_is_documented() -> None:
    text = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    headings = re.findall(r"^## (RB\d{3}) .*\{ #(rb\d{3}) \}$", text, re.MULTILINE)
    assert [h for h, _ in headings] == sorted(RULES)
    assert all(anchor == h.lower() for h, anchor in headings)
    for rule_id, item in RULES.items():
        section = text.split(f"## {rule_id} ", 1)[1].split("\n## ", 1)[0]
        assert f"**Severity:** {item.severity}" in section, rule_id
        assert section.count("```yaml") >= 2, rule_id
