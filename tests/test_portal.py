"""The portal: plan index, service histories, prev/next, search, tags, nav at scale."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

import pytest

from sitebuild import article, build_site, spec_text

pytest_plugins = ["browser"]


def _plan(service: str, release: str, date: str, pattern: str = "rolling", **extra: str) -> str:
    text = spec_text("minimal")
    text = text.replace("service: billing-worker", f"service: {service}")
    text = text.replace("release: 4.2.0", f"release: '{release}'")
    text = text.replace("date: 2026-12-01", f"date: {date}")
    text = text.replace("pattern: rolling", f"pattern: {pattern}")
    status = extra.get("status", "draft")
    text = text.replace("status: draft", f"status: {status}")
    if "outcome" in extra:
        text += f"outcome:\n  result: {extra['outcome']}\n"
    return text


PLANS = {
    "team-a/api/2025-01-10": _plan(
        "api", "1.0", "2025-01-10", "canary", status="completed", outcome="success"
    ),
    "team-a/api/2025-06-01": _plan(
        "api", "1.1", "2025-06-01", "canary", status="rolled-back", outcome="rolled-back"
    ),
    "team-a/api/2026-02-01": _plan("api", "2.0", "2026-02-01", "blue-green", status="approved"),
    "worker/2025-03-03": _plan(
        "worker", "7", "2025-03-03", "recreate", status="completed", outcome="success"
    ),
}


@pytest.fixture(scope="module")
def portal(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("portal")
    site = build_site(
        root,
        PLANS,
        config={"plugins": ["search", "tags", "runbooks"], "theme": {"name": "material"}},
        strict=True,
    )
    assert not site.aborted, site.warnings
    return site


def _rows(page: str) -> list[list[str]]:
    body = page[page.index("<tbody>") : page.index("</tbody>")]
    return [
        [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


@pytest.mark.slow
def test_index_newest_first_with_columns_and_counts(portal) -> None:
    page = portal.page("plans/")
    head = page[page.index("<thead>") : page.index("</thead>")]
    columns = "Date Service Release Environment Strategy Risk Status Outcome Verdict Findings"
    assert re.findall(r"<th[^>]*>(.*?)</th>", head) == columns.split()
    rows = _rows(page)
    assert [r[0] for r in rows] == ["2026-02-01", "2025-06-01", "2025-03-03", "2025-01-10"]
    assert rows[1][:8] == [
        *("2025-06-01", "api", "1.1", "production", "Canary release"),
        *("low", "rolled-back", "rolled-back"),
    ]
    assert '<strong class="rb-count-plans">4</strong>' in page
    assert '<strong class="rb-count-services">2</strong>' in page
    assert '<strong class="rb-count-rolled-back">1</strong>' in page
    # The filter's mount point (portal.js, which fills it, is loaded on every page).
    assert '<div class="rb-filter" data-rb-filter hidden></div>' in article(page)


def test_service_history_and_figures(portal) -> None:
    page = portal.page("plans/api/")
    titles = re.findall(r'<h3 data-search-exclude id="plan-[^"]*"[^>]*>(.*?)<', page)
    # A literal dash: MkDocs' own search (themes mkdocs, readthedocs) shows these headings'
    # HTML escaped, so an entity there would read "&mdash;".
    assert [html.unescape(t).split(" — ")[1] for t in titles] == ["2.0", "1.1", "1.0"]
    assert "&mdash;" not in "".join(titles)
    assert '<dd class="rb-stat-deployments">2</dd>' in page
    assert '<dd class="rb-stat-rollbacks">1</dd>' in page
    assert '<dd class="rb-stat-rate">50%</dd>' in page
    assert '<dd class="rb-stat-strategies">blue-green, canary</dd>' in page
    # Plans in nested folders (team-a/api/...) still group under their service.
    assert 'href="../team-a/api/2025-01-10/"' in page


def test_prev_next_and_latest(portal) -> None:
    middle = portal.page("plans/team-a/api/2025-06-01/")
    assert re.search(r'<a class="rb-prev" href="../2025-01-10/">', middle)
    assert re.search(r'<a class="rb-next" href="../2026-02-01/">', middle)
    newest = portal.page("plans/team-a/api/2026-02-01/")
    assert "rb-latest" in newest and "rb-next" not in newest
    assert "rb-latest" not in middle


def test_search_index_has_plan_content(portal) -> None:
    index = json.loads((portal.site_dir / "search/search_index.json").read_text())
    docs = [d for d in index["docs"] if d["location"].startswith("plans/team-a/api/2025-06-01/")]
    text = " ".join(d["title"] + " " + d["text"] for d in docs)
    assert "api 1.1" in text
    assert "Roll out 4.2.0" in text or "Roll out 4\\.2\\.0" in text
    assert "api" in text and "1.1" in text


def test_search_index_keeps_one_entry_per_plan(portal) -> None:
    """A service's history and a pattern's plan list repeat the plan pages, one section or
    row per plan: Material's index leaves them out (it would grow by one entry per plan on
    every such page), and keeps the pages themselves."""
    index = json.loads((portal.site_dir / "search/search_index.json").read_text())
    locations = [d["location"] for d in index["docs"]]
    assert "plans/api/" in locations and "patterns/canary/" in locations
    service = [x for x in locations if x.startswith("plans/api/#")]
    assert "plans/api/#insights" in service  # per service, not per plan: kept
    assert not [x for x in service if x.startswith(("plans/api/#history", "plans/api/#plan-"))]
    assert "patterns/canary/#plans-using-this-pattern" not in locations
    assert len([x for x in locations if x.startswith("patterns/canary/#")]) > 1


def test_tags_plugin_gets_plan_tags(portal) -> None:
    page = portal.page("plans/team-a/api/2025-06-01/")
    tags = re.findall(r'class="md-tag[^"]*"[^>]*>([^<]+)<', page)
    assert {"api", "canary", "rolled-back", "production"} <= {t.strip() for t in tags}


@pytest.mark.slow
def test_nav_with_50_plans_lists_services_not_plans(tmp_path: Path) -> None:
    plans = {
        f"svc{i % 5}/2026-01-{i + 1:02d}" if i < 28 else f"svc{i % 5}/2026-02-{i - 27:02d}": _plan(
            f"svc{i % 5}", f"1.{i}", f"2026-01-{i + 1:02d}" if i < 28 else f"2026-02-{i - 27:02d}"
        )
        for i in range(50)
    }
    site = build_site(tmp_path, plans, strict=True)
    assert not site.aborted, site.warnings
    home = site.page("")
    nav = home[: home.index('<div class="md-content"')]
    assert 'href="plans/"' in nav
    for i in range(5):
        assert f'href="plans/svc{i}/"' in nav
    assert not re.search(r'href="plans/svc\d/2026', nav)
    assert sum(1 for _ in (site.site_dir / "plans").glob("svc*/2026-*/index.html")) == 50


@pytest.mark.slow
def test_nav_plans_option_lists_every_plan(tmp_path: Path) -> None:
    plans = {"a/1": _plan("a", "1", "2026-01-01"), "a/2": _plan("a", "2", "2026-01-02")}
    site = build_site(tmp_path, plans, plugin={"nav_plans": True}, strict=True)
    home = site.page("")
    assert 'href="plans/a/1/"' in home and 'href="plans/a/2/"' in home


@pytest.mark.browser
def test_filter_script_in_chromium(portal: Any, serve: Any, page: Any, console: Any) -> None:
    with serve(portal.site_dir) as base:
        page.goto(base + "plans/")
        rows = page.locator("article table tbody tr")
        assert rows.count() == 4
        page.select_option("select[data-rb-filter-by=service]", "worker")
        assert page.locator("article table tbody tr:not([hidden])").count() == 1
        assert page.locator(".rb-filter-count").inner_text() == "1 of 4 plans"
        page.select_option("select[data-rb-filter-by=service]", "")
        page.select_option("select[data-rb-filter-by=outcome]", "rolled-back")
        assert page.locator("article table tbody tr:not([hidden])").count() == 1
        page.select_option("select[data-rb-filter-by=outcome]", "")
        page.fill(".rb-filter-text", "blue")
        visible = page.locator("article table tbody tr:not([hidden])")
        assert visible.count() == 1 and "2.0" in visible.inner_text()
    assert console.errors == []


@pytest.mark.slow
def test_site_page_at_a_generated_address_is_kept_and_named(tmp_path: Path) -> None:
    """`docs/insights.md` is written to `insights/index.html`, where the generated Insights
    page goes too: the site's page stays, the build says so, and the nav keeps no entry for
    the page left out."""
    plans = {"api/2026-01-01": _plan("api", "1.0", "2026-01-01")}
    docs = {"insights.md": "# How we measure\n\nOur own words about figures.\n"}
    site = build_site(tmp_path, plans, docs=docs)
    page = site.page("insights/")
    assert "Our own words about figures." in page
    clash = [w for w in site.warnings if "both written to 'insights/index.html'" in w]
    assert clash and "'insights.md'" in clash[0] and "'insights/index.md'" in clash[0]
    assert "insights_url" in clash[0]
    assert not [w for w in site.warnings if "not found" in w or "nav" in w.lower()], site.warnings
    moved = build_site(tmp_path / "moved", plans, docs=docs, plugin={"insights_url": "figures"})
    assert "Our own words about figures." in moved.page("insights/")
    assert 'class="rb-insight' in moved.page("figures/")
    assert not [w for w in moved.warnings if "both written" in w]


def test_pages_of_ascii_plans_are_ascii(portal) -> None:
    """The templates' own text is ASCII (entities for dashes, dots and arrows): a page of
    ASCII plan text is a one-byte-per-character string while MkDocs holds it (one "—"
    made every page's HTML twice the memory; docs/performance.md, issue 21)."""
    assert all(text.isascii() and "&" not in text for text in PLANS.values())
    plan_pages = ["plans/team-a/api/2026-02-01/", "plans/team-a/api/2025-06-01/"]
    plan_pages += ["plans/worker/2025-03-03/"]
    for url in [*plan_pages, "plans/"]:  # one per plan, and the index, which lists them all
        content = article(portal.page(url))
        assert content.isascii(), (url, sorted({c for c in content if not c.isascii()}))
    for url in [*plan_pages, "plans/", "plans/api/", "patterns/canary/", "insights/"]:
        # The entities are markup, never text escaped again (a dash shown as "&mdash;").
        twice = re.findall(r"&(?:amp;|#38;)#?\w+;", article(portal.page(url)))
        assert not twice, (url, twice)
