"""Best-practice findings in real builds: on the page, in the index, on the quality page,
and as build warnings only when the site asks for it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sitebuild import build_site, spec_text

MINIMAL = spec_text("minimal")  # has RB102/RB103/RB104/RB403/RB501 findings, no errors


@pytest.mark.slow
def test_findings_shown_on_plan_page_with_rule_links(tmp_path: Path) -> None:
    site = build_site(tmp_path, {"billing-worker/x": MINIMAL}, strict=True)
    assert not site.aborted, site.warnings
    page = site.page("plans/billing-worker/x/")
    assert 'id="findings"' in page
    links = re.findall(r'<a class="rb-finding rb-finding-(\w+)" href="([^"]+)">(RB\d+)</a>', page)
    assert ("warning", "../../../quality/rules/#rb501", "RB501") in links
    assert {rule for _, _, rule in links} >= {"RB102", "RB104", "RB403", "RB501"}
    rules = site.page("quality/rules/")
    assert 'id="rb501"' in rules


@pytest.mark.slow
def test_spec_example_has_no_review_block(tmp_path: Path) -> None:
    site = build_site(tmp_path, {"checkout-api/x": spec_text("example")}, strict=True)
    assert 'id="findings"' not in site.page("plans/checkout-api/x/")


@pytest.mark.slow
def test_silenced_rule_shown_with_reason(tmp_path: Path) -> None:
    text = MINIMAL + "lint:\n  ignore:\n    RB501: one-person team, see the on-call policy\n"
    site = build_site(tmp_path, {"billing-worker/x": text}, strict=True)
    page = site.page("plans/billing-worker/x/")
    assert "RB501 is silenced for this plan: one-person team, see the on-call policy" in page
    assert ">RB501</a>" not in page


@pytest.mark.slow
def test_index_counts_and_quality_page(tmp_path: Path) -> None:
    plans = {"billing-worker/x": MINIMAL, "checkout-api/y": spec_text("example")}
    site = build_site(tmp_path, plans, strict=True)
    index = site.page("plans/")
    rows = re.findall(r"<tr>\s*<td>(\d{4}-\d\d-\d\d)</td>.*?<td>(\d+)</td>\s*</tr>", index, re.S)
    counts = dict(rows)
    assert counts["2026-11-20"] == "0"
    assert int(counts["2026-12-01"]) >= 5
    quality = site.page("quality/")
    assert re.search(r"Plans with a measurable rollback trigger</td>\s*<td>100%</td>", quality)
    assert re.search(
        r'href="rules/#rb501">RB501</a></td>\s*<td>warning</td>.*?<td>1</td>', quality, re.S
    )


@pytest.mark.slow  # four builds
def test_findings_as_warnings_and_disable_rules(tmp_path: Path) -> None:
    site = build_site(
        tmp_path / "a",
        {"billing-worker/x": MINIMAL},
        plugin={"findings_as_warnings": "warning"},
        strict=True,
    )
    assert site.aborted
    assert any("warning RB501" in w for w in site.warnings)
    quiet = build_site(
        tmp_path / "b",
        {"billing-worker/x": MINIMAL},
        plugin={
            "findings_as_warnings": "error",
        },
        strict=True,
    )
    assert not quiet.aborted, quiet.warnings
    disabled = build_site(
        tmp_path / "c",
        {"billing-worker/x": MINIMAL},
        plugin={"disable_rules": ["RB501"]},
        strict=True,
    )
    assert ">RB501</a>" not in disabled.page("plans/billing-worker/x/")
    typo = build_site(
        tmp_path / "d", {"billing-worker/x": MINIMAL}, plugin={"disable_rules": ["RB999"]}
    )
    assert any("unknown rule id(s) RB999" in w for w in typo.warnings)


def test_unknown_lint_ignore_id_fails_the_build_like_a_format_error(tmp_path: Path) -> None:
    """``lint.ignore`` is checked by lint now, not the loader: the build still reports the
    plan as invalid, at the key, with the same message."""
    text = MINIMAL + "lint:\n  ignore:\n    RB31: typo\n"
    site = build_site(tmp_path, {"billing-worker/x": text}, strict=True)
    assert site.aborted
    assert any(
        "lint.ignore.RB31: unknown rule id 'RB31'; did you mean 'RB301'?" in w
        for w in site.warnings
    ), site.warnings
