"""``mkdocs-runbooks new``: a plan started from a pattern's skeleton or from an earlier plan.

A new plan must validate, carry the steps its pattern always needs, and hold a ``TODO:``
placeholder wherever the author still has to write something: rule RB601 reports each one,
and no other rule fires on a fresh plan.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml

from mkdocs_runbooks.cli import main
from mkdocs_runbooks.lint import RULES, lint_all
from mkdocs_runbooks.lint.todo import is_placeholder
from mkdocs_runbooks.load import LoadedPlan, load_plan
from mkdocs_runbooks.model import Plan
from mkdocs_runbooks.patterns import load_patterns
from mkdocs_runbooks.skeleton import STANDARD_ROLES, NewPlanError, dump_plan
from mkdocs_runbooks.yamlnodes import parse_yaml
from sitebuild import build_site

DEPLOYMENT = ["blue-green", "canary", "feature-flags", "recreate", "rolling"]
STANDARD = ["pre-deployment", "application-deployment", "smoke-testing", "monitoring"]
SCHEMA_LINE = "# yaml-language-server: $schema=../../../schema/deployment-plan.schema.json"


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty project folder, made the current folder."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def new(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["new", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def plan_path(root: Path, service: str, folder: str) -> Path:
    return root / "plans" / service / folder / "deployment-plan.yaml"


def load(path: Path, patterns_dir: Path | None = None) -> LoadedPlan:
    loaded = load_plan(path, load_patterns(patterns_dir))
    assert loaded.ok, "\n".join(p.text() for p in loaded.problems)
    lint_all([loaded])
    return loaded


def the_plan(loaded: LoadedPlan) -> Plan:
    assert loaded.plan is not None
    return loaded.plan


def titles(plan: Plan, phase: str) -> list[str]:
    return [s.title for p in plan.phases if p.phase == phase for s in p.steps]


def todo_count(out: str) -> int:
    match = re.search(r"\((\d+) TODO placeholders? to replace\)", out)
    assert match, out
    return int(match.group(1))


# --- every built-in pattern ---------------------------------------------------------------------

PATTERN_STEPS: dict[str, dict[str, Any]] = {
    "canary": {
        "parameters": {"steps": ["5", "25", "50", "100"], "interval": "15m"},
        "application-deployment": [
            "Deploy 2.10 as a canary with no traffic",
            "Route 5% of traffic to the canary",
            "Route 25% of traffic to the canary",
            "Route 50% of traffic to the canary",
            "Route 100% of traffic to the canary",
        ],
        "rollback": ["Route all traffic back to the stable release", "Remove the canary instances"],
    },
    "blue-green": {
        "parameters": {"standby": "24h"},
        "application-deployment": [
            "Deploy 2.10 to the idle colour",
            "Smoke-test the idle colour before the switch",
            "Switch traffic to the new colour",
        ],
        "monitoring": [
            "Watch the rollback triggers for 30 minutes",
            "Keep the old colour running on standby",
        ],
        "rollback": ["Switch traffic back to the old colour"],
    },
    "rolling": {
        "parameters": {"batch_size": "25%", "pause": "2m"},
        "application-deployment": [
            "Start the rolling update to 2.10 with the first batch (25% of instances)",
            "Check the first batch during the 2m pause",
            "Let the remaining batches roll out with a 2m pause each",
        ],
        "rollback": ["Stop the rollout", "Roll the previous release back out, batch by batch"],
    },
    "feature-flags": {
        "parameters": {"segments": ["staff", "10%", "50%", "100%"], "default": "off"},
        "application-deployment": [
            "Deploy 2.10 dark, with the flag off",
            "Enable the flag for staff",
            "Enable the flag for 10% of users",
            "Enable the flag for 50% of users",
            "Enable the flag for everyone",
        ],
        "rollback": [
            "Turn the flag off for everyone",
            "Roll back the deploy if the fault is in the code, not the flag",
        ],
    },
    "recreate": {
        "parameters": {"expected_downtime": "20m"},
        "application-deployment": [
            "Announce the start of the downtime",
            "Stop every instance of the previous release",
            "Start 2.10",
        ],
        "smoke-testing": [
            "Run the smoke tests against production",
            "Announce the end of the downtime",
        ],
        "rollback": ["Stop 2.10 and start the previous release"],
    },
}


def test_every_builtin_deployment_pattern_has_a_skeleton() -> None:
    registry = load_patterns()
    assert sorted(registry.known()) == DEPLOYMENT == sorted(PATTERN_STEPS)
    for pid in DEPLOYMENT:
        assert isinstance(registry.patterns[pid].meta.get("skeleton"), dict), pid


@pytest.mark.parametrize("pattern", DEPLOYMENT)
def test_new_plan_from_each_builtin_pattern(
    site: Path, capsys: pytest.CaptureFixture[str], pattern: str
) -> None:
    code, out, err = new(
        capsys, "checkout-api", "2.10", "--pattern", pattern, "--date", "2026-12-01"
    )
    assert code == 0, err
    path = plan_path(site, "checkout-api", "2026-12-01-2.10")
    assert out.startswith("wrote plans/checkout-api/2026-12-01-2.10/deployment-plan.yaml (")
    assert "no `skeleton:`" not in err

    loaded = load(path)
    plan = the_plan(loaded)
    # Valid, and nothing but placeholders to fix.
    assert {f.rule for f in loaded.findings} == {"RB601"}
    assert all(f.severity == "warning" for f in loaded.findings)
    assert todo_count(out) == len(loaded.findings) > 10

    assert (plan.service, plan.release, plan.date) == ("checkout-api", "2.10", dt.date(2026, 12, 1))
    assert plan.status == "draft" and plan.outcome is None and plan.review is None
    assert plan.strategy.pattern == pattern
    assert [p.phase for p in plan.phases] == STANDARD
    assert [r.role for r in plan.roles] == list(STANDARD_ROLES)
    assert all(r.name == "TODO: name" for r in plan.roles)
    assert titles(plan, "pre-deployment") == [
        "Back up the database",
        "Confirm production is healthy",
    ]
    trigger = plan.rollback.triggers[0]
    assert trigger.metric and trigger.threshold and trigger.window == "5m"
    assert [c.title for c in plan.checklists] == ["T-24 hours", "T-1 hour"]

    expected = PATTERN_STEPS[pattern]
    params = plan.strategy.parameters or {}
    assert {k: params[k] for k in expected["parameters"]} == expected["parameters"]
    for phase in ("application-deployment", "monitoring", "smoke-testing"):
        if phase in expected:
            assert titles(plan, phase) == expected[phase]
    assert [s.title for s in plan.rollback.steps] == expected["rollback"]
    # Every step that changes something says how to check it.
    for phase in plan.phases:
        for step in phase.steps:
            if phase.phase != "monitoring":
                assert step.command and step.verify and step.expected, step.title
    assert all(s.verify for s in plan.rollback.steps)


def test_canary_has_one_weight_step_per_parameter(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert new(capsys, "search", "5.1", "--pattern", "Canary", "--date", "2026-12-01")[0] == 0
    plan = the_plan(load(plan_path(site, "search", "2026-12-01-5.1")))
    steps = (plan.strategy.parameters or {})["steps"]
    weights = [t for t in titles(plan, "application-deployment") if t.startswith("Route ")]
    assert weights == [f"Route {s}% of traffic to the canary" for s in steps]
    text = plan_path(site, "search", "2026-12-01-5.1").read_text(encoding="utf-8")
    assert "    steps: [5, 25, 50, 100]\n    interval: 15m\n" in text


def test_todo_findings_point_at_the_exact_key(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    new(capsys, "checkout-api", "2.10", "--pattern", "blue-green", "--date", "2026-12-01")
    path = plan_path(site, "checkout-api", "2026-12-01-2.10")
    loaded = load(path)
    paths = {f.path for f in loaded.findings}
    assert {
        "summary",
        "risk.notes",
        "strategy.rationale",
        "strategy.parameters.switch",
        "roles[0].name",
        "phases[0].steps[0].command",
        "phases[0].steps[0].verify",
        "phases[1].steps[2].command",
        "rollback.triggers[0].metric",
        "rollback.steps[0].command",
        "checklists[1].items[1]",
    } <= paths
    lines = path.read_text(encoding="utf-8").splitlines()
    for finding in loaded.findings:
        assert "TODO" in lines[finding.line - 1][finding.col - 1 :], finding.text()
    (command,) = [f for f in loaded.findings if f.path == "phases[0].steps[0].command"]
    assert lines[command.line - 1] == '        command: "TODO: the exact backup command"'
    assert command.message.startswith("`command` still holds a TODO placeholder: ")


def test_validate_lists_the_placeholders(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    new(capsys, "checkout-api", "2.10", "--pattern", "rolling", "--date", "2026-12-01")
    assert main(["validate", "plans"]) == 0
    out = capsys.readouterr().out
    assert "warning RB601: `command` still holds a TODO placeholder" in out
    assert main(["validate", "--strict", "plans"]) == 1


def test_file_layout(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    new(capsys, "checkout-api", "2.10", "--pattern", "canary", "--date", "2026-12-01")
    text = plan_path(site, "checkout-api", "2026-12-01-2.10").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0] == SCHEMA_LINE
    assert lines[1] == "# Started by `mkdocs-runbooks new` from the canary pattern."
    assert lines[3:8] == [
        "service: checkout-api",
        'release: "2.10"',
        "environment: production",
        "date: 2026-12-01",
        "status: draft",
    ]
    keys = [line.split(":")[0] for line in lines if re.match(r"[a-z_]+:", line)]
    assert keys == [
        "service",
        "release",
        "environment",
        "date",
        "status",
        "summary",
        "risk",
        "strategy",
        "roles",
        "phases",
        "rollback",
        "checklists",
    ]
    # No migrations yet: the phase is a commented hint, not an empty phase.
    assert "  # No database-migration phase" in text
    assert "- phase: database-migration" not in text.replace("`- phase: database-migration`", "")
    assert "\n\nphases:\n  - phase: pre-deployment\n" in text


# --- the release and the date -------------------------------------------------------------------


def test_release_keeps_its_text(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert new(capsys, "checkout-api", "2.10", "--pattern", "canary")[0] == 0
    today = dt.date.today().isoformat()
    path = plan_path(site, "checkout-api", f"{today}-2.10")
    text = path.read_text(encoding="utf-8")
    assert 'release: "2.10"' in text
    assert yaml.safe_load(text)["release"] == "2.10"  # any YAML tool reads text, not 2.1
    plan = the_plan(load(path))
    assert plan.release == "2.10" and plan.date.isoformat() == today
    assert "Deploy 2.10 as a canary with no traffic" in titles(plan, "application-deployment")


@pytest.mark.parametrize("release", ["1.0", "2", "7.4.0", "2024.10", "3.0.0-rc1"])
def test_other_releases_round_trip(
    site: Path, capsys: pytest.CaptureFixture[str], release: str
) -> None:
    assert new(capsys, "svc", release, "--pattern", "rolling", "--date", "2026-12-01")[0] == 0
    plan = the_plan(load(plan_path(site, "svc", f"2026-12-01-{release}")))
    assert plan.release == release


def test_dump_plan_round_trips_awkward_values() -> None:
    data: dict[str, Any] = {
        "on": "on",
        "no": "no",
        "version": "2.10",
        "colon": "a: b",
        "hash": "#not a comment",
        "dash": "- not a list",
        "star": "*alias",
        "shell": "psql \"$DB_URL\" -c 'select 1' | grep -q 1 && echo {{ ok }}\n\tindented\n",
        "trailing": "line with trailing space \nnext",
        "blank": "first\n\nthird\n",
        "unicode": "✔ Healthy — größer",
        "todo": 'TODO: say "why"',
        "numbers": [5, 25, 50, 100],
        "words": ["staff", "10%", "off"],
        "date": dt.date(2026, 12, 1),
        "flag": True,
    }
    text = dump_plan(data, ("# a header",))
    assert text.startswith("# a header\n")
    parsed = parse_yaml(text)
    assert parsed.problems == []
    assert parsed.data["on"] == "on" and parsed.data["version"] == "2.10"
    assert parsed.data["shell"] == data["shell"]
    assert parsed.data["blank"] == data["blank"]
    assert parsed.data["numbers"] == ["5", "25", "50", "100"]
    assert yaml.safe_load(text)["on"] == "on"  # quoted, so YAML 1.1 tools agree
    assert "numbers: [5, 25, 50, 100]" in text


# --- the schema comment -------------------------------------------------------------------------


def test_schema_hint_when_the_schema_is_missing(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _out, err = new(capsys, "svc", "1.2.0", "--pattern", "rolling", "--date", "2026-12-01")
    assert code == 0
    assert (
        "hint: schema/deployment-plan.schema.json does not exist yet; create it with "
        "`mkdocs-runbooks schema --out schema/deployment-plan.schema.json`"
    ) in err


def test_schema_option(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "--out", "tools/plan.schema.json"]) == 0
    capsys.readouterr()
    code, _out, err = new(
        capsys,
        *("svc", "1.2.0", "--pattern", "rolling", "--date", "2026-12-01"),
        *("--schema", "tools/plan.schema.json", "--plans-dir", "docs/plans"),
    )
    assert code == 0 and "hint:" not in err
    path = site / "docs/plans/svc/2026-12-01-1.2.0/deployment-plan.yaml"
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../../../../tools/plan.schema.json"
    folder = path.parent
    assert (folder / first.split("=", 1)[1]).resolve() == (site / "tools/plan.schema.json")


# --- refusals -----------------------------------------------------------------------------------


def test_refuses_to_overwrite(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ("checkout-api", "2.10", "--pattern", "canary", "--date", "2026-12-01")
    assert new(capsys, *args)[0] == 0
    path = plan_path(site, "checkout-api", "2026-12-01-2.10")
    path.write_text("# my edits\n", encoding="utf-8")
    code, out, err = new(capsys, *args)
    assert code == 1 and out == ""
    assert err == (
        "mkdocs-runbooks: error: plans/checkout-api/2026-12-01-2.10/deployment-plan.yaml "
        "already exists: not overwriting it; edit that plan, or choose another release or "
        "--date\n"
    )
    assert path.read_text(encoding="utf-8") == "# my edits\n"
    # A plan saved as .yml counts too.
    other = plan_path(site, "checkout-api", "2026-12-02-2.10").with_suffix(".yml")
    other.parent.mkdir(parents=True)
    other.write_text("# mine\n", encoding="utf-8")
    code, _out, err = new(
        capsys, "checkout-api", "2.10", "--pattern", "canary", "--date", "2026-12-02"
    )
    assert code == 1 and "deployment-plan.yml already exists" in err
    assert not other.with_suffix(".yaml").exists()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ("Checkout_API", "2.10", "--pattern", "canary"),
            "invalid slug 'Checkout_API': use lowercase letters, digits and '-', starting with "
            "a letter or digit (for example 'checkout-api')",
        ),
        (
            ("checkout-api", "2.10", "--pattern", "canery"),
            "unknown pattern 'canery'; did you mean 'canary'? (known: blue-green, canary, "
            "feature-flags, recreate, rolling)",
        ),
        (
            ("checkout-api", "2.10", "--pattern", "blue-gren"),
            "unknown pattern 'blue-gren'; did you mean 'blue-green'?",
        ),
        (
            ("checkout-api", "2.10", "--pattern", "expand-contract"),
            "'expand-contract' is a migration pattern, not a deployment strategy",
        ),
        (("checkout-api", "../2.10", "--pattern", "canary"), "invalid release '../2.10'"),
        (
            ("checkout-api", "2.10", "--pattern", "canary", "--date", "1/12/2026"),
            "invalid date '1/12/2026': use YYYY-MM-DD, for example 2026-11-20",
        ),
    ],
)
def test_usage_errors(
    site: Path, capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], message: str
) -> None:
    code, out, err = new(capsys, *argv)
    assert code == 2 and out == ""
    assert err.startswith(f"mkdocs-runbooks: error: {message}")
    assert not (site / "plans").exists()


def test_pattern_or_from_is_required(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["new", "svc", "1.0"])
    assert stop.value.code == 2
    assert "one of the arguments --pattern --from is required" in capsys.readouterr().err


def test_pattern_aliases_and_titles(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert new(capsys, "svc", "1.0", "--pattern", "Blue_Green", "--date", "2026-12-01")[0] == 0
    assert new(capsys, "svc", "1.1", "--pattern", "big-bang", "--date", "2026-12-01")[0] == 0
    assert the_plan(load(plan_path(site, "svc", "2026-12-01-1.0"))).strategy.pattern == "blue-green"
    assert the_plan(load(plan_path(site, "svc", "2026-12-01-1.1"))).strategy.pattern == "recreate"


# --- a site's own patterns ----------------------------------------------------------------------

SITE_PATTERN = """\
---
id: dark-ship
title: Dark ship
kind: deployment
aliases: [darkship]
skeleton:
  parameters:
    removal: 2.10
    waves: [1, 2, 3]
  phases:
    - phase: application-deployment
      steps:
        - title: Ship {release} of {service} dark
          owner: Technical Executor
          command: ./ship --version "${release}" {release}
          expected: Nothing visible changes.
          verify: "TODO: a command that shows {release} is shipped"
    - phase: warm-up
      title: Warm-up
      steps:
        - title: Warm the caches
          owner: Technical Executor
          command: "TODO: the warm-up command"
          expected: Cache hit rate above 90%.
          verify: "TODO: a command that checks the hit rate"
  triggers:
    - condition: Error rate above 2% for 5 minutes
      metric: http_error_ratio
      threshold: "> 0.02"
      window: 5m
  rollback:
    expected_duration: 1m
  checklists:
    - title: T-1 hour
      items:
        - Caches cold-start plan ready
    - title: T-10 minutes
      items:
        - Everyone in the channel
---

# Dark ship

Ship the code with nothing visible, then warm it up.
"""


def write_site_pattern(root: Path, name: str, text: str) -> Path:
    path = root / "patterns" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_site_pattern_with_its_own_skeleton(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_site_pattern(site, "dark-ship.md", SITE_PATTERN)
    code, out, err = new(capsys, "ledger", "4.0", "--pattern", "darkship", "--date", "2026-12-01")
    assert code == 0, err
    assert "no `skeleton:`" not in err
    path = plan_path(site, "ledger", "2026-12-01-4.0")
    loaded = load(path, site / "patterns")
    plan = the_plan(loaded)
    assert {f.rule for f in loaded.findings} == {"RB601"}
    assert todo_count(out) == len(loaded.findings)
    assert plan.strategy.pattern == "dark-ship"
    # Front matter values are read as written, like a plan's: 2.10 stays 2.10.
    assert plan.strategy.parameters == {"removal": "2.10", "waves": ["1", "2", "3"]}
    assert [p.phase for p in plan.phases] == [
        "pre-deployment",
        "application-deployment",
        "warm-up",
        "smoke-testing",
        "monitoring",
    ]
    (ship,) = plan.phases[1].steps
    assert ship.title == "Ship 4.0 of ledger dark"
    assert ship.command == './ship --version "${release}" 4.0'  # shell ${...} is left alone
    assert plan.phases[2].title == "Warm-up"
    assert plan.rollback.triggers[0].condition == "Error rate above 2% for 5 minutes"
    assert plan.rollback.expected_duration == "1m"
    assert [s.title for s in plan.rollback.steps] == ["Redeploy the previous release"]
    checklists = {c.title: c.items for c in plan.checklists}
    assert checklists["T-1 hour"][-1] == "Caches cold-start plan ready"
    assert checklists["T-10 minutes"] == ["Everyone in the channel"]
    text = path.read_text(encoding="utf-8")
    assert "    removal: '2.10'\n    waves: [1, 2, 3]\n" in text


def test_site_pattern_without_skeleton_gets_the_generic_one(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    body = SITE_PATTERN.split("skeleton:", maxsplit=1)[0] + "---\n\n# Dark ship\n"
    write_site_pattern(site / "site-patterns", "dark-ship.md", body)
    code, _out, err = new(
        capsys,
        *("ledger", "4.0", "--pattern", "dark-ship", "--date", "2026-12-01"),
        *("--patterns-dir", "site-patterns/patterns"),
    )
    assert code == 0, err
    assert "note: pattern 'dark-ship' has no `skeleton:` in its front matter" in err
    loaded = load(plan_path(site, "ledger", "2026-12-01-4.0"), site / "site-patterns/patterns")
    plan = the_plan(loaded)
    assert {f.rule for f in loaded.findings} == {"RB601"}
    assert [p.phase for p in plan.phases] == STANDARD
    assert titles(plan, "application-deployment") == ["Deploy 4.0 to production"]
    assert plan.strategy.parameters is None


def test_site_page_replacing_a_builtin_pattern_brings_its_skeleton(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = SITE_PATTERN.replace("id: dark-ship", "id: canary").replace("[darkship]", "[]")
    write_site_pattern(site, "canary.md", text)
    assert new(capsys, "ledger", "4.0", "--pattern", "canary", "--date", "2026-12-01")[0] == 0
    plan = the_plan(load(plan_path(site, "ledger", "2026-12-01-4.0"), site / "patterns"))
    assert titles(plan, "application-deployment") == ["Ship 4.0 of ledger dark"]


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            ("  triggers:", "  trigers:"),
            "skeleton.trigers: unknown key 'trigers'; did you mean 'triggers'?",
        ),
        (
            ("  rollback:\n    expected_duration: 1m", "  rollback: [1m]"),
            "skeleton.rollback: expected a mapping, found a list",
        ),
        (
            ("    - phase: warm-up\n", "    - title: no phase id\n"),
            "skeleton.phases[1]: expected a mapping with `phase:`",
        ),
        (
            (
                '    owner: Technical Executor\n          command: "TODO: the warm',
                '    owner: Technical Executor\n          comand: "TODO: the warm',
            ),
            "the dark-ship pattern gives an invalid plan; fix its skeleton:",
        ),
    ],
)
def test_broken_site_skeletons_are_reported(
    site: Path, capsys: pytest.CaptureFixture[str], edit: tuple[str, str], message: str
) -> None:
    assert edit[0] in SITE_PATTERN
    write_site_pattern(site, "dark-ship.md", SITE_PATTERN.replace(*edit, 1))
    code, _out, err = new(capsys, "ledger", "4.0", "--pattern", "dark-ship", "--date", "2026-12-01")
    assert code == 2
    assert message in err
    assert not (site / "plans").exists()


# --- --from an earlier plan ---------------------------------------------------------------------


@pytest.fixture
def earlier(site: Path, spec_example: Path) -> Path:
    """The contract's complete plan (checkout-api 2.10, blue-green, migrations, outcome)."""
    path = plan_path(site, "checkout-api", "2026-11-20-2.10")
    path.parent.mkdir(parents=True)
    shutil.copyfile(spec_example, path)
    return path


def test_from_an_earlier_plan(
    site: Path, earlier: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = the_plan(load(earlier))
    code, out, err = new(
        capsys, "checkout-api", "2.11", "--from", str(earlier), "--date", "2027-01-12"
    )
    assert code == 0, err
    path = plan_path(site, "checkout-api", "2027-01-12-2.11")
    assert out.startswith("wrote plans/checkout-api/2027-01-12-2.11/deployment-plan.yaml (2 TODO")
    loaded = load(path)
    plan = the_plan(loaded)
    assert {f.path for f in loaded.findings} == {"summary", "risk.notes"}
    assert {f.rule for f in loaded.findings} == {"RB601"}

    # New release, date and status; the record of the earlier release is gone.
    assert (plan.release, plan.date, plan.status) == ("2.11", dt.date(2027, 1, 12), "draft")
    assert plan.outcome is None and plan.review is None and plan.window is None
    assert plan.title is None and plan.links == [] and plan.communications == []
    # Migrations shipped with 2.10: neither they nor their phase are copied.
    assert plan.migrations is None and plan.rollback.database is None
    assert "database-migration" not in [p.phase for p in plan.phases]
    assert plan.risk.level == old.risk.level and plan.risk.breaking_changes is None
    # Steps, roles, strategy, rollback and checklists are copied.
    assert plan.roles == old.roles
    assert plan.strategy == old.strategy
    assert plan.checklists == old.checklists
    assert [s.uid for s in plan.rollback.steps] == [s.uid for s in old.rollback.steps]
    assert plan.rollback.triggers == old.rollback.triggers
    assert [(p.phase, [s.uid for s in p.steps]) for p in plan.phases] == [
        (p.phase, [s.uid for s in p.steps]) for p in old.phases if p.phase != "database-migration"
    ]
    # Text naming the old release names the new one.
    assert titles(plan, "application-deployment")[0] == "Deploy 2.11 to the green environment"
    backup = plan.phases[0].steps[0].command or ""
    assert "/backups/checkout-2.11.dump" in backup and "2.10" not in backup
    assert "note: left out the migrations of 2.10" in err
    assert "note: replaced release 2.10 (and date 2026-11-20) with 2.11 (2027-01-12)" in err
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == SCHEMA_LINE
    assert "from plans/checkout-api/2026-11-20-2.10/deployment-plan.yaml." in text


def test_from_accepts_the_plan_folder(
    site: Path, earlier: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = str(earlier.parent)
    assert new(capsys, "checkout-api", "2.11", "--from", folder, "--date", "2027-01-12")[0] == 0
    assert plan_path(site, "checkout-api", "2027-01-12-2.11").is_file()


def test_from_points_at_longer_versions_of_the_old_release(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert new(capsys, "svc", "2.10", "--pattern", "rolling", "--date", "2026-12-01")[0] == 0
    first = plan_path(site, "svc", "2026-12-01-2.10")
    first.write_text(
        first.read_text(encoding="utf-8").replace(
            "TODO: the exact command that starts the rolling update (batch size 25%)",
            "kubectl set image deploy/svc app=registry/svc:2.10.0",
        ),
        encoding="utf-8",
    )
    code, _out, err = new(capsys, "svc", "2.11", "--from", str(first), "--date", "2027-01-12")
    assert code == 0
    assert "note: still naming a version of 2.10: phases[1].steps[0].command; update them" in err
    plan = the_plan(load(plan_path(site, "svc", "2027-01-12-2.11")))
    assert plan.phases[1].steps[0].command == "kubectl set image deploy/svc app=registry/svc:2.10.0"
    assert plan.phases[1].steps[0].title.startswith("Start the rolling update to 2.11 ")


def test_from_refuses_another_service(
    site: Path, earlier: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = new(capsys, "billing", "2.11", "--from", str(earlier))
    assert code == 2 and out == ""
    assert err == (
        "mkdocs-runbooks: error: plans/checkout-api/2026-11-20-2.10/deployment-plan.yaml is a "
        "plan of 'checkout-api', not 'billing': --from starts from an earlier plan of the same "
        "service\n"
    )
    assert not (site / "plans" / "billing").exists()


def test_from_refuses_a_missing_or_invalid_plan(
    site: Path, earlier: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _out, err = new(capsys, "checkout-api", "2.11", "--from", "plans/nope.yaml")
    assert code == 2 and "no such file or folder: plans/nope.yaml" in err
    earlier.write_text(earlier.read_text(encoding="utf-8").replace("command:", "comand:", 1))
    code, _out, err = new(capsys, "checkout-api", "2.11", "--from", str(earlier))
    assert code == 2
    assert "is not a valid plan, so a new plan cannot start from it" in err
    assert "unknown key 'comand'; did you mean 'command'?" in err


def test_new_plan_of_a_release_that_has_a_plan_already(
    site: Path, earlier: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _out, err = new(
        capsys, "checkout-api", "2.10", "--pattern", "canary", "--date", "2026-12-01"
    )
    assert code == 0
    assert "note: plans/checkout-api/2026-11-20-2.10 is a plan of 2.10 too" in err


# --- RB601 itself -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "placeholder"),
    [
        ("TODO: the exact command", True),
        ("TODO", True),
        ("  TODO  ", True),
        ("Team assembled in TODO: the channel", True),
        ("echo ok\n# TODO: the real check\n", True),
        ("grep -rn TODO src/", False),
        ("TODOS: none", False),
        ("NOTODO: x", False),
        ("todo: lowercase is prose", False),
    ],
)
def test_what_counts_as_a_placeholder(text: str, placeholder: bool) -> None:
    assert is_placeholder(text) is placeholder


def test_rb601_walks_every_string_field(tmp_path: Path) -> None:
    path = tmp_path / "plans/svc/2026-12-01-1.0/deployment-plan.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(
        textwrap.dedent(
            """\
            service: svc
            release: "1.0"
            date: 2026-12-01
            status: draft
            links:
              - title: "TODO: ticket"
                url: https://example.com/x
            risk: {level: low}
            strategy:
              pattern: rolling
              rationale: Fine.
              parameters:
                nested: {deep: ["ok", "TODO: pick one"]}
            roles: [{role: Deployment Lead, name: Ana, contact: "TODO: handle"}]
            migrations:
              items:
                - id: "1"
                  description: "TODO"
                  command: x
                  verify: y
                  rollback: z
            phases:
              - phase: monitoring
                steps: [{title: Watch, expected: "All good"}]
            rollback:
              owner: Ana
              triggers: [{condition: "Errors above 5%"}]
              steps: [{title: Back, command: b, expected: ok, verify: v}]
            communications:
              - {when: T-1h, audience: "TODO: who", message: plain text}
            lint:
              ignore: {RB101: "TODO: why"}
            """
        ),
        encoding="utf-8",
    )
    loaded = load_plan(path, load_patterns())
    assert loaded.ok
    found = [(loc, msg) for loc, msg in RULES["RB601"].check(the_plan(loaded))]
    assert [".".join(map(str, loc)) for loc, _msg in found] == [
        "links.0.title",
        "strategy.parameters.nested.deep.1",
        "roles.0.contact",
        "migrations.items.0.description",
        "communications.0.audience",
        "lint.ignore.RB101",
    ]
    assert RULES["RB601"].severity == "warning"
    assert RULES["RB601"].summary == "a value still holds a TODO placeholder"


def test_no_repository_or_contract_plan_holds_a_placeholder(spec_example: Path) -> None:
    root = Path(__file__).resolve().parents[1]
    paths = [spec_example, *sorted((root / "plans").glob("*/*/deployment-plan.yaml"))]
    for path in paths:
        loaded = load_plan(path, load_patterns())
        lint_all([loaded])
        assert [f.text() for f in loaded.findings if f.rule == "RB601"] == []


# --- a real site --------------------------------------------------------------------------------


@pytest.mark.slow
def test_new_plans_build_in_a_strict_mkdocs_site(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plans: dict[str, str] = {}
    for i, pattern in enumerate(DEPLOYMENT):
        folder = f"2026-12-0{i + 1}-2.10"
        assert (
            new(capsys, "checkout-api", "2.10", "--pattern", pattern, "--date", folder[:10])[0] == 0
        )
        text = plan_path(site, "checkout-api", folder).read_text(encoding="utf-8")
        plans[f"checkout-api/{folder}"] = text
    built = build_site(site / "portal", plans, strict=True)
    assert not built.aborted
    assert built.warnings == []
    for key in plans:
        page = built.page(f"plans/{key}/")
        assert "TODO: the exact backup command" in page
        assert "Back up the database" in page


def test_errors_are_values_not_crashes() -> None:
    error = NewPlanError("boom")
    assert error.message == "boom"
    assert not hasattr(error, "code")  # exit codes belong to the command line (cli_common.Exit)
