"""The ``mkdocs-runbooks validate`` console script: output forms and exit codes."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from mkdocs_runbooks.cli import main

BAD = "plans/svc/bad/deployment-plan.yaml"
GOOD = "plans/svc/good/deployment-plan.yaml"
SUMMARY_RE = re.compile(
    r"^(?P<checked>\d+) plans? checked: (?P<valid>\d+) valid, (?P<invalid>\d+) invalid, "
    r"(?P<findings>\d+) findings?(?:, (?P<ignored>\d+) files? ignored)?$"
)


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, spec_minimal: Path) -> Path:
    """``tmp_path`` as cwd, with ``plans/svc/good`` (valid) and nothing else yet."""
    monkeypatch.chdir(tmp_path)
    good = tmp_path / GOOD
    good.parent.mkdir(parents=True)
    shutil.copy(spec_minimal, good)
    return tmp_path


@pytest.fixture
def bad_plan(site: Path, spec_minimal: Path) -> Path:
    """``plans/svc/bad``: the minimal plan with ``status: drafty`` (line 5, column 9)."""
    path = site / BAD
    path.parent.mkdir(parents=True)
    text = spec_minimal.read_text(encoding="utf-8")
    assert text.splitlines()[4] == "status: draft"
    path.write_text(text.replace("status: draft", "status: drafty"), encoding="utf-8")
    return path


def summary(out: str) -> dict[str, int]:
    last = out.rstrip("\n").splitlines()[-1]
    match = SUMMARY_RE.match(last)
    assert match, f"no summary line at the end of {out!r}"
    return {k: int(v) for k, v in match.groupdict(default="0").items()}


def test_valid_exits_0(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "plans"]) == 0
    counts = summary(capsys.readouterr().out)
    assert (counts["checked"], counts["valid"], counts["invalid"], counts["ignored"]) == (
        1,
        1,
        0,
        0,
    )


def test_invalid_exits_1_and_prints_the_problem(
    bad_plan: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", "plans"]) == 1
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].startswith(f"{BAD}:5:9: status: invalid value 'drafty'; allowed: draft, ")
    assert summary(out)["checked"] == 2
    assert summary(out)["valid"] == 1
    assert summary(out)["invalid"] == 1


def test_summary_line_text(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (site / "plans/svc/good/deployment-plan.yml.bak").write_text("x: 1\n", encoding="utf-8")
    assert main(["validate", "plans"]) == 0
    last = capsys.readouterr().out.splitlines()[-1]
    n = summary(last)["findings"]
    findings = f"{n} finding" + ("" if n == 1 else "s")
    assert last == f"1 plan checked: 1 valid, 0 invalid, {findings}, 1 file ignored"


def test_near_miss_is_listed_and_fails_only_with_strict(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (site / "plans/svc/good/deployment_plan.yaml").write_text("x: 1\n", encoding="utf-8")
    assert main(["validate", "plans"]) == 0
    out = capsys.readouterr().out
    assert (
        "plans/svc/good/deployment_plan.yaml:1:1: ignored 'deployment_plan.yaml': "
        "a plan file must be named 'deployment-plan.yaml'" in out
    )
    assert main(["validate", "--strict", "plans"]) == 1


def test_single_file_argument(bad_plan: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", GOOD]) == 0
    assert main(["validate", BAD, GOOD]) == 1
    out = capsys.readouterr().out
    assert f"{BAD}:5:9: status: invalid value 'drafty'" in out


def test_default_path_is_plans(bad_plan: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate"]) == 1
    out = capsys.readouterr().out
    assert f"{BAD}:5:9: status: invalid value 'drafty'" in out
    assert summary(out)["checked"] == 2


def test_default_path_missing_is_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["validate"]) == 2
    assert "no such file or folder: plans" in capsys.readouterr().err


def test_missing_path_exits_2(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "plans", "nope"]) == 2
    captured = capsys.readouterr()
    assert captured.err.strip() == "mkdocs-runbooks: error: no such file or folder: nope"
    assert captured.out == ""


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["validate", "--bogus", "plans"], "unrecognized arguments: --bogus"),
        (["validate", "--format", "xml", "plans"], "invalid choice: 'xml'"),
        (["frobnicate"], "invalid choice: 'frobnicate'"),
        ([], "the following arguments are required"),
    ],
)
def test_usage_errors_exit_2(
    site: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    with pytest.raises(SystemExit) as stop:
        main(argv)
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: mkdocs-runbooks")
    assert message in err


def test_format_json(bad_plan: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (bad_plan.parent / "deployment-plan.json").write_text("{}", encoding="utf-8")
    assert main(["validate", "--format", "json", "plans"]) == 1
    report = json.loads(capsys.readouterr().out)

    assert set(report) == {"problems", "summary"}
    counts = report["summary"]
    assert set(counts) == {"checked", "valid", "invalid", "findings", "ignored"}
    assert (counts["checked"], counts["valid"], counts["invalid"], counts["ignored"]) == (
        2,
        1,
        1,
        1,
    )
    assert counts["findings"] == sum(p["rule"] is not None for p in report["problems"])
    keys = {"file", "line", "col", "path", "message", "severity", "rule"}
    assert all(set(p) == keys for p in report["problems"])
    errors = [p for p in report["problems"] if p["severity"] == "error"]
    assert errors == [
        {
            "file": BAD,
            "line": 5,
            "col": 9,
            "path": "status",
            "message": "invalid value 'drafty'; allowed: draft, in-review, approved, "
            "scheduled, in-progress, completed, rolled-back, cancelled",
            "severity": "error",
            "rule": None,
        }
    ]
    ignored = [p for p in report["problems"] if p["file"].endswith(".json")]
    assert [(p["line"], p["col"], p["path"], p["severity"]) for p in ignored] == [
        (1, 1, "", "warning")
    ]


def test_format_json_when_valid(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert [p for p in report["problems"] if p["severity"] == "error"] == []
    assert report["summary"]["valid"] == 1


def test_format_github(bad_plan: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (bad_plan.parent / "deployment-plan.yaml.txt").write_text("x: 1\n", encoding="utf-8")
    assert main(["validate", "--format", "github", "plans"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith(
        f"::error file={BAD},line=5,col=9::status: invalid value 'drafty'; allowed: draft, "
    )
    assert (
        "::warning file=plans/svc/bad/deployment-plan.yaml.txt,line=1,col=1::ignored "
        "'deployment-plan.yaml.txt'" in "\n".join(lines)
    )
    assert summary(lines[-1])["invalid"] == 1


def test_format_github_escapes_properties(
    site: Path, capsys: pytest.CaptureFixture[str], write_plan: Callable[..., Path]
) -> None:
    write_plan("plans/a,b:c", "- x\n")
    assert main(["validate", "--format", "github", "plans"]) == 1
    out = capsys.readouterr().out
    assert (
        "::error file=plans/a%2Cb%3Ac/deployment-plan.yaml,line=1,col=1::a plan is a mapping "
        "of keys, found a list at the top level" in out
    )


@pytest.mark.slow
def test_console_script_runs_as_module(bad_plan: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs_runbooks.cli", "validate", "plans"],
        cwd=bad_plan.parents[3],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    assert result.stdout.startswith(f"{BAD}:5:9: status: invalid value 'drafty'")
    assert summary(result.stdout)["invalid"] == 1

    usage = subprocess.run(
        [sys.executable, "-m", "mkdocs_runbooks.cli", "validate", "--bogus"],
        cwd=bad_plan.parents[3],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert usage.returncode == 2
    assert "unrecognized arguments: --bogus" in usage.stderr


def test_validate_one_plans_own_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from sitebuild import spec_text

    folder = tmp_path / "plans" / "billing-worker" / "2026-12-01-4.2.0"
    folder.mkdir(parents=True)
    (folder / "deployment-plan.yaml").write_text(spec_text("minimal"), encoding="utf-8")
    assert main(["validate", str(folder)]) == 0
    assert "1 plan checked: 1 valid, 0 invalid" in capsys.readouterr().out


def test_unknown_lint_ignore_id_is_a_format_error_everywhere(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The check moved from the loader into lint: validate, render and diff still refuse
    the plan with the same message at the same place."""
    from sitebuild import spec_text

    folder = tmp_path / "plans" / "billing-worker" / "2026-12-01-4.2.0"
    folder.mkdir(parents=True)
    plan = folder / "deployment-plan.yaml"
    plan.write_text(spec_text("minimal") + "lint:\n  ignore:\n    RB31: typo\n", encoding="utf-8")
    where = "deployment-plan.yaml:28:11: lint.ignore.RB31: unknown rule id 'RB31'; did you mean"
    assert main(["validate", str(folder)]) == 1
    out = capsys.readouterr().out
    assert where in out and "1 plan checked: 0 valid, 1 invalid" in out
    assert main(["render", str(plan), "-o", "-"]) == 1
    assert where in capsys.readouterr().err
    assert main(["diff", str(plan), str(plan)]) == 2
    assert where in capsys.readouterr().err
