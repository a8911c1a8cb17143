"""Hidden characters (bidi controls, zero-width) in plan text show as ``<U+XXXX>`` wherever
a person reads the text: identifiers on the page, SVG charts and the calendar feed, as on
the rest of the page (``plans.json`` keeps values exactly: it is data for programs)."""

from __future__ import annotations

import json
from pathlib import Path

import icalendar
import pytest

from histories import plan_text
from mkdocs_runbooks.render.escape import ident
from sitebuild import build_site

RLO = "\u202e"


def test_ident_escapes_shows_hidden_characters_and_breaks_only_at_labels() -> None:
    assert ident('rate{method="a",b="<c>"}') == (
        'rate<span class="rb-brk"></span>{method=&#34;a&#34;,<span class="rb-brk"></span>'
        "b=&#34;&lt;c&gt;&#34;}"
    )
    assert ident(f"a{RLO}b_c") == 'a&lt;U+202E&gt;b_<span class="rb-brk"></span>c'


@pytest.mark.slow
def test_charts_and_calendar_show_hidden_characters(tmp_path: Path) -> None:
    outcome = {
        "result": "success",
        "started": "2026-11-20T22:00:00+01:00",
        "finished": "2026-11-20T23:00:00+01:00",
    }
    plans = {
        f"checkout-api/2026-11-{day:02d}": plan_text(
            release=f"2.{day}{RLO}gnp", date=f"2026-11-{day:02d}", outcome=outcome
        ).replace("card vault migration", f"card vault{RLO} migration")
        for day in (10, 20)
    }
    site = build_site(tmp_path, plans, config={"site_url": "https://example.com/"})
    assert not site.aborted, site.warnings
    charts = list((site.site_dir / "insights" / "charts").glob("*.svg"))
    timeline = [c for c in charts if "timeline" in c.name]
    assert charts and timeline
    for chart in charts:
        assert RLO not in chart.read_text(encoding="utf-8"), chart.name
    assert "2.10&lt;U+202E&gt;gnp" in timeline[0].read_text(encoding="utf-8")
    service_page = site.page("plans/checkout-api/")
    assert RLO not in service_page
    ics = (site.site_dir / "plans" / "deployments.ics").read_text(encoding="utf-8")
    assert RLO not in ics
    events = icalendar.Calendar.from_ical(ics).walk("VEVENT")
    assert {str(e["summary"]) for e in events} == {
        "Checkout API 2.10 - card vault<U+202E> migration"
    }
    # plans.json is data: the release exactly as written.
    data = json.loads((site.site_dir / "plans" / "plans.json").read_text(encoding="utf-8"))
    assert f"2.10{RLO}gnp" in {plan["release"] for plan in data["plans"]}
