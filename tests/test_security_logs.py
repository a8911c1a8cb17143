"""Values from plans and paths in terminals and CI logs: one line each, nothing that acts.

A plan can hold any character through YAML's double-quoted escapes (``"\\n"``, ``"\\e"``,
``"\\r"``, ``"\\u202e"``), and a folder name can hold any byte but ``/``. None of them may
start a new log line (a fake ``::error`` or ``::add-mask::`` workflow command in CI), move
the cursor, recolour or clear a terminal.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from mkdocs_runbooks.load import load_text
from mkdocs_runbooks.patterns import load_patterns
from mkdocs_runbooks.problems import Problem, log_safe, render_problems
from sitebuild import make_site, run_build, spec_text

REGISTRY = load_patterns()
CLI = [sys.executable, "-c", "import sys; from mkdocs_runbooks.cli import main; sys.exit(main())"]
# Bytes a log line must never carry as themselves.
FORBIDDEN = ["\x1b", "\r", "\x00", "\x07", "\x08", "\x85", "\x9b", "\u2028", "\u2029", "\u202e"]
# Double-quoted YAML: each escape becomes the character itself in the value.
INJECT = (
    r"x\n::error file=evil.yaml,line=1::pwned\n::add-mask::\r\e[2J\e]0;title\a"
    r"\x9b31m\x85\u2028\u202eZ\0"
)


def _hostile_plan() -> str:
    text = spec_text("minimal")
    text = text.replace("date: 2026-12-01", f'date: "{INJECT}"')
    text = text.replace("status: draft", f'status: "{INJECT}"')
    return text + f'"{INJECT}": 1\n'


def _assert_clean_lines(text: str, *, github: bool = False) -> None:
    for char in FORBIDDEN:
        assert char not in text, repr(char)
    if not github:
        for line in text.splitlines():
            assert not line.startswith("::"), line


def test_log_safe_escapes_every_control_and_keeps_the_rest() -> None:
    text = "a\nb\rc\x1bd\x00e\tf\x7fg\x85h\x9bi\u2028j\u202ek\u2066l\udce9m é 日本 ✓"
    assert log_safe(text) == (
        "a\\x0ab\\x0dc\\x1bd\\x00e\\x09f\\x7fg\\x85h\\x9bi\\u2028j\\u202ek\\u2066l\\xe9m é 日本 ✓"
    )


def test_problem_text_is_one_line_whatever_the_values() -> None:
    problem = Problem("plans/a\nb/deployment-plan.yaml", 3, 4, "x\r.y", "m\x1b[31m\n::error::x")
    assert problem.text() == (
        "plans/a\\x0ab/deployment-plan.yaml:3:4: x\\x0d.y: m\\x1b[31m\\x0a::error::x"
    )
    finding = Problem("f", 1, 1, "", "m", severity="warning", rule="RB1\n::x")
    assert finding.text() == "f:1:1: warning RB1\\x0a::x: m"


def test_github_format_escapes_data_and_properties() -> None:
    problem = Problem(
        "plans/a,b:c%d\r\ne/deployment-plan.yaml",
        1,
        2,
        "k",
        "100% sure\r\n::add-mask::secret\x1b[2J",
        severity="warning",
        rule="RB1,x:y",
    )
    assert problem.github() == (
        "::warning file=plans/a%2Cb%3Ac%25d%0D%0Ae/deployment-plan.yaml,line=1,col=2,"
        "title=RB1%2Cx%3Ay::k: 100%25 sure%0D%0A::add-mask::secret\\x1b[2J"
    )
    assert "\n" not in problem.github() and "\x1b" not in problem.github()


def test_json_keeps_the_values_and_stays_json() -> None:
    problem = Problem("p\udce9\n.yaml", 1, 1, "", "a\x1b\n\x00b")
    data = json.loads(render_problems([problem], "json"))
    assert data[0]["message"] == "a\x1b\n\x00b"
    assert "\x1b" not in render_problems([problem], "json")


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["text", "github", "json"])
def test_validate_output_cannot_forge_lines(
    fmt: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = tmp_path / "plans" / "svc" / "r1" / "deployment-plan.yaml"
    plan.parent.mkdir(parents=True)
    plan.write_text(_hostile_plan(), encoding="utf-8")
    # A folder name with a line break and ESC: not a page address, and still one line.
    odd = tmp_path / "plans" / "svc" / "r\n::error::x\x1b[2J" / "deployment-plan.yaml"
    odd.parent.mkdir(parents=True)
    odd.write_text(spec_text("minimal"), encoding="utf-8")
    result = subprocess.run(
        [*CLI, "validate", "plans", "--format", fmt],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    if fmt == "json":
        data = json.loads(result.stdout)
        messages = [p["message"] for p in data["problems"]]
        assert any("::add-mask::\r\x1b[2J" in m for m in messages), messages
        assert "\x1b" not in result.stdout  # JSON escapes it
        return
    _assert_clean_lines(result.stdout + result.stderr, github=fmt == "github")
    lines = result.stdout.splitlines()
    assert not any("needs a folder of its own" in line for line in lines)
    assert not any("share the page address" in line for line in lines)
    assert any("date: invalid date" in line for line in lines)
    assert any("status:" in line for line in lines)
    if fmt == "text":
        assert any("r\\x0a::error::x\\x1b[2J" in line for line in lines)
    else:
        assert any("r%0A%3A%3Aerror%3A%3Ax\\x1b[2J" in line for line in lines)
        assert all(
            line.startswith(("::error file=", "::warning file=", "::notice file="))
            for line in lines[:-1]
        )
        # Only the command's own annotations start a line; none comes from a value.
        assert not any(line.startswith(("::add-mask", "::error::")) for line in lines)


def test_mkdocs_warnings_are_one_line_each(tmp_path: Path) -> None:
    make_site(tmp_path, {"svc/r1": _hostile_plan()})
    os.mkdir(tmp_path / "plans" / "svc" / "r\r\x1b[1A")
    (tmp_path / "plans" / "svc" / "r\r\x1b[1A" / "deployment-plan.yaml").write_text(
        spec_text("minimal"), encoding="utf-8"
    )
    site = run_build(tmp_path)
    assert site.warnings
    for warning in site.warnings:
        _assert_clean_lines(warning)
        assert "\n" not in warning
    assert any("invalid date" in w and "::add-mask::" in w for w in site.warnings)
    assert any("r\\x0d\\x1b[1A" in w for w in site.warnings)


def test_nul_byte_is_reported_at_its_line_and_column() -> None:
    text = spec_text("minimal").replace("release: 4.2.0", "release: 4.2\x00.0")
    loaded = load_text(text, "p.yaml", REGISTRY)
    line = text[: text.index("\x00")].count("\n") + 1
    assert [p.text() for p in loaded.problems] == [
        f"p.yaml:{line}:13: character U+0000 (a control character) is not allowed in a YAML "
        "file: remove it"
    ]


@pytest.mark.parametrize("char", ["\x1b", "\x07", "\x7f", "\x9b", "\ufffe"])
def test_other_refused_characters_are_placed_after_wide_text(char: str) -> None:
    # Non-ASCII text before the character: libyaml counts bytes, the report counts characters.
    text = spec_text("minimal").replace("release: 4.2.0", f"release: ééé日本{char}")
    loaded = load_text(text, "p.yaml", REGISTRY)
    line = text[: text.index(char)].count("\n") + 1
    (problem,) = loaded.problems
    assert (problem.line, problem.col) == (line, 15)
    assert f"U+{ord(char):04X}" in problem.message


def test_cli_error_messages_are_escaped(tmp_path: Path) -> None:
    result = subprocess.run(
        [*CLI, "validate", "no\x1b[2Jsuch\nfile"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "no\\x1b[2Jsuch\\x0afile" in result.stderr
    _assert_clean_lines(result.stderr)
