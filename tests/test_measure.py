"""One measurable grammar: what the diff reads as a threshold, lint counts as measurable;
durations and percentages read the same in the loader and the rules."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from mkdocs_runbooks.lint.common import percent as lint_percent
from mkdocs_runbooks.lint.common import seconds as lint_seconds
from mkdocs_runbooks.load import _is_percent
from mkdocs_runbooks.measure import (
    Threshold,
    duration_seconds,
    is_measurable_text,
    loosened,
    percent,
    seconds,
    threshold,
)

_THRESHOLDS = st.from_regex(
    r"(error rate |p99 )?(above |below |more than |fewer than |> ?|< ?|>= ?|<= ?|≥ ?)"
    r"[0-9]{1,3}(\.[0-9]{1,2})?"
    r"( ?%| ms| errors| rps)?",
    fullmatch=True,
)


@given(_THRESHOLDS)
def test_a_threshold_the_diff_reads_is_measurable_for_lint(text: str) -> None:
    assert threshold(text) is not None
    assert is_measurable_text(text)


def test_comparisons_in_words_are_measurable() -> None:
    assert is_measurable_text("p99 latency above 800")
    assert threshold("p99 latency above 800") == Threshold(">", 800.0, "")
    assert threshold("drops below 2,5 %") == Threshold("<", 2.5, "%")
    assert not is_measurable_text("Checkout looks broken to support")
    assert threshold("0.08", hint="error rate above 5%") == Threshold(">", 0.08, "")


def test_loosened() -> None:
    assert loosened("> 0.05", "> 0.08", None) == "higher"
    assert loosened("< 99%", "< 95%", None) == "lower"
    assert loosened("> 5%", "> 5 ms", None) == ""


def test_one_duration_and_percent_reader() -> None:
    assert duration_seconds("2h30m") == 9000
    assert seconds("nope") is None and lint_seconds is seconds
    assert lint_percent is percent
    assert percent("25%") == 25.0 and percent(True) is None
    # The loader checks canary steps with the same reader.
    assert _is_percent("25%") and not _is_percent("1e1") and not _is_percent("0")
