"""Loader rules of the second security round: dates written as dates, YAML merge keys
(nested too) that work, and values never re-typed by YAML on the way."""

from __future__ import annotations

import pytest

from mkdocs_runbooks.load import load_text
from mkdocs_runbooks.patterns import load_patterns
from mkdocs_runbooks.yamlnodes import Limits, parse_yaml
from sitebuild import spec_text

REGISTRY = load_patterns()
MINIMAL = spec_text("minimal")


@pytest.mark.parametrize(
    "value",
    [
        "0",
        "1764547200",
        "-1",
        "1e9",
        "0x10",
        "2026-11-20T00:00:00",
        "20261120",
        "2026-13-01",
        "2026-02-30",
        "''",
        "true",
    ],
)
def test_numbers_and_other_text_are_not_dates(value: str) -> None:
    loaded = load_text(MINIMAL.replace("date: 2026-12-01", f"date: {value}"), "p.yaml", REGISTRY)
    assert loaded.plan is None
    (problem,) = loaded.problems
    assert problem.path == "date"
    assert "use YYYY-MM-DD" in problem.message


@pytest.mark.parametrize("value", ["0", "1764547200", "2026-12-01 10:00"])
def test_approval_dates_are_dates_too(value: str) -> None:
    text = MINIMAL + f"review:\n  reviewers:\n    - name: Ann\n      approved: {value}\n"
    loaded = load_text(text, "p.yaml", REGISTRY)
    assert loaded.plan is None
    assert [p.path for p in loaded.problems] == ["review.reviewers[0].approved"]


@pytest.mark.parametrize("value", ["2026-12-01", "'2026-12-01'", '"2026-12-01"'])
def test_dates_written_as_dates_still_load(value: str) -> None:
    text = MINIMAL.replace("date: 2026-12-01", f"date: {value}")
    text += "review:\n  reviewers:\n    - name: Ann\n      approved: 2026-11-30\n"
    loaded = load_text(text, "p.yaml", REGISTRY)
    assert loaded.ok, [p.text() for p in loaded.problems]
    assert loaded.plan is not None and loaded.plan.date.isoformat() == "2026-12-01"


NESTED = """\
x-base: &base
  risk_level: low
  window: 1:30
x-step: &step
  <<: *base
  title: Roll out
  command: echo on
x-verify: &verified
  <<: *step
  verify: curl -f http://x/healthz
"""


def test_nested_merge_keys_work_and_keep_text_as_written() -> None:
    result = parse_yaml(NESTED + "out:\n  <<: *verified\n  title: Override\n")
    assert result.problems == []
    assert result.data["out"] == {
        "title": "Override",
        "verify": "curl -f http://x/healthz",
        "command": "echo on",
        "risk_level": "low",
        "window": "1:30",  # not 90: YAML typing never changes a value
    }


def test_merge_list_first_source_wins_and_explicit_keys_win() -> None:
    text = "a: &a {k: from-a, only-a: 1}\nb: &b {k: from-b, only-b: 2}\nc:\n  <<: [*a, *b]\n"
    assert parse_yaml(text).data["c"] == {"k": "from-a", "only-a": "1", "only-b": "2"}
    text += "d:\n  k: mine\n  <<: [*b, *a]\n"
    assert parse_yaml(text).data["d"] == {"k": "mine", "only-b": "2", "only-a": "1"}


def test_nested_merge_in_a_real_plan() -> None:
    text = MINIMAL.replace(
        "phases:\n",
        "x-common: &common\n  owner: ops\nx-roll: &roll\n  <<: *common\n  title: Roll out 4.2.0\n"
        "phases:\n",
    ).replace("      - title: Roll out 4.2.0\n", "      - <<: *roll\n        verify: echo ok\n")
    result = parse_yaml(text)
    assert result.problems == []
    step = result.data["phases"][0]["steps"][0]
    assert step == {
        "verify": "echo ok",
        "command": "kubectl -n billing rollout restart deploy/billing-worker",
        "title": "Roll out 4.2.0",
        "owner": "ops",
    }


def test_merge_errors_are_still_clear() -> None:
    result = parse_yaml("a: &a [1, 2]\nb:\n  <<: *a\n")
    assert {p.message for p in result.problems} == {"'<<' merges a mapping (or a list of them)"}
    result = parse_yaml("a: &a !!python/object {x: 1}\nb:\n  <<: *a\n")
    assert any("YAML tag" in p.message for p in result.problems)


def test_merge_expansion_counts_against_the_budget() -> None:
    lines = ["a0: &a0 {k: v}"]
    for i in range(1, 12):
        lines.append(f"a{i}: &a{i}\n  <<: [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]\n  k{i}: v")
    result = parse_yaml("\n".join(lines) + "\n", Limits(max_nodes=10_000))
    assert result.data is None
    assert "more than 10,000 values" in result.problems[0].message


def test_a_mapping_that_merges_itself_stops() -> None:
    result = parse_yaml("a: &a\n  x: 1\n  <<: *a\n")
    assert result.data is None and result.problems
