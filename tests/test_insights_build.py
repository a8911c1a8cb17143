"""Insights on real builds: the Insights page, service and pattern sections, the upcoming
list and home-page snippet, the chart files, and the options that turn them off."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from histories import plan_text
from sitebuild import Site, build_site

HOSTILE = Path(__file__).parent / "hostile"
EPOCH_2026_12_01 = "1796083200"  # 2026-12-01T00:00:00Z

PLANS = {
    "checkout-api/2026-11-20": plan_text(
        outcome={
            "result": "success",
            "started": "2026-11-20T22:02:00+01:00",
            "finished": "2026-11-20T23:41:00+01:00",
        }
    ),
    "checkout-api/2026-11-25": plan_text(
        release="2.11",
        date="2026-11-25",
        status="rolled-back",
        outcome={
            "result": "rolled-back",
            "started": "2026-11-25T22:00:00+01:00",
            "notes": "Errors at 22:10; restored at 22:35.",
        },
    ),
    "checkout-api/2026-12-03": plan_text(release="2.12", date="2026-12-03", status="approved"),
    "search/2026-12-01": plan_text(
        service="search", release="9", date="2026-12-01", status="scheduled", pattern="canary"
    ),
    "search/2026-11-01": plan_text(
        service="search", release="8", date="2026-11-01", status="draft", pattern="canary"
    ),  # in the past, never run: not upcoming
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    root = tmp_path_factory.mktemp("insights")
    mp = pytest.MonkeyPatch()
    mp.setenv("SOURCE_DATE_EPOCH", EPOCH_2026_12_01)
    try:
        built = build_site(
            root,
            PLANS,
            docs={"index.md": "# Home\n\nComing up:\n\n<!-- runbooks:upcoming -->\n"},
            strict=True,
        )
    finally:
        mp.undo()
    assert not built.aborted, built.warnings
    return built


def article(page: str) -> str:
    return page[page.index("<article") : page.index("</article>")]


def svgs(page: str) -> list[ET.Element]:
    return [ET.fromstring(m) for m in re.findall(r"<svg\b.*?</svg>", page, re.S)]


@pytest.mark.slow
def test_insights_page(site: Site) -> None:
    page = article(site.page("insights"))
    assert 'class="rb-page' in page
    assert '<time class="rb-insights-today" datetime="2026-12-01">' in page
    assert '<strong class="rb-insights-plans">5</strong>' in page
    # Headline figures with their basis: 2 executed plans, 1 rolled back.
    row = re.search(r'<tr class="rb-figure rb-figure-change_failure_rate">(.*?)</tr>', page, re.S)
    assert row and "not enough data" in row.group(1) and "2 plans" in row.group(1)
    restore = re.search(r'rb-figure-time_to_restore">(.*?)</tr>', page, re.S)
    assert restore and "1 plan " in restore.group(1)
    kinds = {s.get("class") for s in svgs(page)}
    assert kinds == {
        "rb-chart rb-chart-monthly",
        "rb-chart rb-chart-failure-rate",
        "rb-chart rb-chart-durations",
        "rb-chart rb-chart-findings",
    }
    # Each chart has its numbers as a table next to it.
    assert page.count('<details class="rb-chart-data"') == 4
    assert "<td>2026-11</td><td>2</td><td>1</td><td>3</td>" in page  # month, runs, failed, plans
    # Time to restore of the rolled-back plan: 22:00 -> 22:35 from its notes.
    assert "35m" in page
    assert 'href="../plans/plans.json"' in page and 'href="../plans/deployments.ics"' in page


def test_chart_files_are_written_and_linked(site: Site) -> None:
    charts = site.site_dir / "insights" / "charts"
    names = sorted(p.name for p in charts.glob("*.svg"))
    assert "portal-monthly.svg" in names and "service-search-timeline.svg" in names
    for path in charts.glob("*.svg"):
        ET.fromstring(path.read_text(encoding="utf-8"))
    page = site.page("plans/checkout-api")
    assert 'href="../../insights/charts/service-checkout-api-timeline.svg"' in page


def test_service_page_has_its_insights(site: Site) -> None:
    page = article(site.page("plans/checkout-api"))
    assert 'id="insights"' in page and 'id="release-timeline"' in page
    timeline = next(s for s in svgs(page) if "rb-chart-timeline" in (s.get("class") or ""))
    circles = list(timeline.iter("{http://www.w3.org/2000/svg}circle"))
    assert len(circles) == 3
    assert page.index('id="insights"') < page.index('id="history"')


def test_pattern_page_shows_how_its_plans_went(site: Site) -> None:
    page = article(site.page("patterns/canary"))
    assert 'id="how-these-plans-went"' in page
    assert '<td class="rb-count-not-run">2</td>' in page
    blue = article(site.page("patterns/blue-green"))
    assert '<td class="rb-count-rolled-back">1</td>' in blue
    assert '<td class="rb-count-success">1</td>' in blue


def upcoming_rows(page: str) -> list[str]:
    section = page[page.index('id="upcoming"') : page.index('id="all-plans"')]
    return re.findall(r"<tr>(.*?)</tr>", section, re.S)[1:]


def test_index_lists_upcoming_plans_with_their_verdict(site: Site) -> None:
    rows = upcoming_rows(article(site.page("plans")))
    assert len(rows) == 2
    # Both are approved by their reviewers and not yet run: ready to run.
    assert "2026-12-01" in rows[0] and ">9<" in rows[0] and 'data-rb-verdict="ready"' in rows[0]
    assert "2026-12-03" in rows[1] and ">2.12<" in rows[1] and 'data-rb-verdict="ready"' in rows[1]
    assert "Dana Kowalski (Release Manager)" in rows[1]


def test_home_page_snippet(site: Site) -> None:
    page = article(site.page(""))
    assert "runbooks:upcoming" not in page
    table = page[page.index('<div class="rb-upcoming">') :]
    assert 'href="plans/search/2026-12-01/"' in table
    assert 'href="plans/checkout-api/2026-12-03/"' in table
    assert table.count('data-rb-verdict="ready">Ready</span>') == 2


@pytest.mark.slow
def test_insights_off(tmp_path: Path) -> None:
    off = build_site(
        tmp_path,
        PLANS,
        plugin={"insights": False},
        docs={"index.md": "# Home\n\n<!-- runbooks:upcoming -->\n"},
    )
    assert not off.exists("insights")
    assert not (off.site_dir / "insights").exists()
    assert 'id="insights"' not in off.page("plans/checkout-api")
    assert 'id="upcoming"' not in off.page("plans")
    assert 'id="how-these-plans-went"' not in off.page("patterns/canary")
    assert "<svg" not in article(off.page("plans/checkout-api"))
    assert (off.site_dir / "plans" / "plans.json").is_file()  # feeds are separate
    # Nothing is written into docs/.
    assert sorted(p.name for p in (tmp_path / "docs").rglob("*")) == ["index.md"]


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.bad: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "img", "iframe", "style") or any(k.startswith("on") for k, _ in attrs):
            self.bad.append(tag)


@pytest.mark.slow
def test_hostile_plans_render_as_text_in_insights(tmp_path: Path) -> None:
    plans = {f"checkout-api/{p.stem}": p.read_text() for p in HOSTILE.glob("*.yaml")}
    plans["checkout-api/later"] = (HOSTILE / "xss-everywhere.yaml").read_text().replace(
        "date: 2026-11-20", "date: 2099-01-01"
    ).replace("status: completed", "status: scheduled").split("\noutcome:")[0] + "\n"
    site = build_site(
        tmp_path, plans, docs={"index.md": "# Home\n\n<!-- runbooks:upcoming -->\n"}, strict=True
    )
    assert not site.aborted, site.warnings
    for url in ("insights", "plans/checkout-api", "plans", "", "patterns/blue-green"):
        parser = _Tags()
        parser.feed(article(site.page(url)))
        assert not parser.bad, (url, parser.bad)
    assert "2.10&lt;script&gt;window.__xss=1&lt;/script&gt;" in site.page("")
    for path in (site.site_dir / "insights" / "charts").glob("*.svg"):
        root = ET.fromstring(path.read_text(encoding="utf-8"))
        assert not [e for e in root.iter() if e.tag.endswith("script")]


def test_charts_and_their_tables_stay_out_of_search(site: Site) -> None:
    index = (site.site_dir / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "Upcoming deployments" in index  # the pages themselves are indexed
    svg = (site.site_dir / "insights/charts/service-checkout-api-timeline.svg").read_text("utf-8")
    assert "<title>2.10, 2026-11-20</title>" in svg  # a timeline mark's title
    assert "2.10, 2026-11-20" not in index  # but not in search
    assert "The numbers" not in index


def test_figures_and_restores_stay_out_of_search(site: Site) -> None:
    """Rows of plans and figures are data, not text to search: 0.9 of Material's 1.2 MB index
    at 10,000 plans, which every page loads. The sections' headings stay findable."""
    docs = json.loads((site.site_dir / "search" / "search_index.json").read_text("utf-8"))["docs"]
    by_location = {d["location"]: d for d in docs}
    for page in ("insights/", "plans/checkout-api/"):
        html_page = site.page(page)
        assert 'class="rb-restores" data-search-exclude' in html_page
        assert "2026-11-25" in html_page.split('class="rb-restores"')[1].split("</div>")[0]
        assert 'class="rb-figures" data-search-exclude' in html_page
        restores = by_location[page + "#time-to-restore"]
        assert restores["title"] == "Time to restore"
        assert "2026-11-25" not in restores["text"] and "How it is computed" not in str(docs)
