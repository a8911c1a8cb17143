"""The pattern library in real builds: built-in pages, site overrides, links both ways."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from mkdocs_runbooks.patterns import BUILTIN_DIR, load_patterns
from sitebuild import ROOT, article, build_site, spec_text

BUILTIN = ["blue-green", "canary", "rolling", "feature-flags", "recreate", "expand-contract"]


def _plan(service: str, release: str, date: str, pattern: str, status: str = "draft") -> str:
    text = spec_text("minimal")
    text = text.replace("service: billing-worker", f"service: {service}")
    text = text.replace("release: 4.2.0", f"release: '{release}'")
    text = text.replace("date: 2026-12-01", f"date: {date}")
    text = text.replace("pattern: rolling", f"pattern: {pattern}")
    return text.replace("status: draft", f"status: {status}")


def _users(page: str) -> list[str]:
    section = page[page.index('id="plans-using-this-pattern"') :]
    return re.findall(r'<a href="([^"]+)">', section.split("</table>")[0])


def _user_rows(page: str) -> dict[str, str]:
    """Row of the "Plans using this pattern" table by plan address."""
    section = page[page.index('id="plans-using-this-pattern"') :].split("</table>", maxsplit=1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", section, re.S)
    return {m.group(1): row for row in rows if (m := re.search(r'<a href="([^"]+)">', row))}


def test_builtin_library_has_every_pattern_with_front_matter() -> None:
    registry = load_patterns()
    assert sorted(registry.patterns) == sorted(BUILTIN)
    for pid in BUILTIN:
        pattern = registry.patterns[pid]
        assert pattern.title and pattern.rollback_time and pattern.summary
        words = len((BUILTIN_DIR / f"{pid}.md").read_text().split())
        assert words >= 500, (pid, words)
    assert registry.patterns["expand-contract"].kind == "migration"
    assert "index.md" in registry.pages


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Blue-Green", "blue-green"),
        ("blue_green", "blue-green"),
        ("bluegreen", "blue-green"),
        ("blue/green", "blue-green"),
        ("red-black", "blue-green"),
        ("Rolling Update", "rolling"),
        ("feature_toggles", "feature-flags"),
        ("dark-launch", "feature-flags"),
        ("ALL AT ONCE", "recreate"),
        ("big-bang", "recreate"),
        ("Canary", "canary"),
    ],
)
def test_alias_matching(name: str, expected: str) -> None:
    assert load_patterns().resolve(name) == expected


@pytest.mark.slow
def test_builtin_pages_without_patterns_folder(tmp_path: Path) -> None:
    site = build_site(tmp_path, {"a/x": _plan("a", "1", "2026-01-01", "canary")}, strict=True)
    assert not site.aborted, site.warnings
    assert not (tmp_path / "patterns").exists()
    for pid in BUILTIN:
        assert site.exists(f"patterns/{pid}/"), pid
    assert site.exists("patterns/")
    assert "Choosing a pattern" in article(site.page("patterns/"))


@pytest.mark.slow
def test_links_both_ways_and_back_link_lists(tmp_path: Path) -> None:
    plans = {
        "a/old": _plan("a", "1.0", "2025-01-01", "canary", "completed"),
        "a/new": _plan("a", "2.0", "2026-06-01", "Canary"),
        "b/x": _plan("b", "7", "2026-03-01", "blue_green"),
    }
    plans["a/old"] += "outcome:\n  result: success\n"
    site = build_site(tmp_path, plans, strict=True)
    assert not site.aborted, site.warnings
    plan_page = site.page("plans/a/new/")
    assert 'href="../../../patterns/canary/"' in plan_page
    assert 'href="../../../patterns/canary/#rollback"' in plan_page
    canary = site.page("patterns/canary/")
    assert _users(canary) == ["../../plans/a/new/", "../../plans/a/old/"]
    rows = _user_rows(canary)
    assert "success" in rows["../../plans/a/old/"] and "success" not in rows["../../plans/a/new/"]
    assert _users(site.page("patterns/blue-green/")) == ["../../plans/b/x/"]
    assert "No plan in this portal uses this pattern yet" in site.page("patterns/recreate/")


@pytest.mark.slow
def test_expand_contract_linked_from_migrating_plans(tmp_path: Path) -> None:
    site = build_site(tmp_path, {"checkout-api/x": spec_text("example")}, strict=True)
    page = site.page("plans/checkout-api/x/")
    assert 'href="../../../patterns/expand-contract/"' in page
    assert _users(site.page("patterns/expand-contract/")) == ["../../plans/checkout-api/x/"]


SITE_PATTERN = """---
id: shadow
title: Shadow traffic
aliases: [mirroring, dark-traffic]
rollback_time: instant (stop mirroring)
---
# Shadow traffic

Our own words on mirroring requests to the new release.
"""


@pytest.mark.slow
def test_site_pattern_accepted_by_id_alias_and_title(tmp_path: Path) -> None:
    plans = {
        "s/a": _plan("s", "1", "2026-01-01", "shadow"),
        "s/b": _plan("s", "2", "2026-02-01", "Mirroring"),
        "s/c": _plan("s", "3", "2026-03-01", "Shadow Traffic"),
    }
    site = build_site(tmp_path, plans, files={"patterns/shadow.md": SITE_PATTERN}, strict=True)
    assert not site.aborted, site.warnings
    page = site.page("patterns/shadow/")
    assert "Our own words on mirroring" in page
    assert _users(page) == ["../../plans/s/c/", "../../plans/s/b/", "../../plans/s/a/"]
    assert "instant (stop mirroring)" in article(site.page("plans/s/a/"))


@pytest.mark.slow
def test_site_override_replaces_builtin_text(tmp_path: Path) -> None:
    override = "---\nid: canary\ntitle: Canary (our way)\n---\n# Canary (our way)\n\nHouse rules.\n"
    site = build_site(
        tmp_path,
        {"a/x": _plan("a", "1", "2026-01-01", "canary")},
        files={"patterns/canary.md": override},
        strict=True,
    )
    page = site.page("patterns/canary/")
    assert "House rules." in page
    assert "small share of real traffic" not in page
    assert "Canary (our way)" in article(site.page("plans/a/x/"))


def test_unknown_pattern_names_nearest_id(tmp_path: Path) -> None:
    site = build_site(tmp_path, {"a/x": _plan("a", "1", "2026-01-01", "canery")})
    assert any(
        "strategy.pattern: unknown pattern 'canery'; did you mean 'canary'?" in w
        for w in site.warnings
    )


@pytest.mark.slow
def test_wheel_ships_the_pattern_library(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    (wheel,) = tmp_path.glob("mkdocs_runbooks-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for pid in BUILTIN:
        assert f"mkdocs_runbooks/patterns/{pid}.md" in names
    assert "mkdocs_runbooks/render/templates/plan.md.j2" in names
    assert "mkdocs_runbooks/assets/runbooks.css" in names
