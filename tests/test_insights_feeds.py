"""plans.json (with its committed JSON Schema) and deployments.ics, from real builds,
parsed back and validated."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import icalendar
import jsonschema
import pytest

from histories import plan_text
from mkdocs_runbooks.hidden import visible
from mkdocs_runbooks.insights.feeds import PLANS_SCHEMA_FILE, SCHEMA_VERSION, plans_schema
from sitebuild import Site, build_site, run_build

HOSTILE = Path(__file__).parent / "hostile"


def test_committed_schema_is_in_step_with_the_models() -> None:
    committed = json.loads(PLANS_SCHEMA_FILE.read_text(encoding="utf-8"))
    assert committed == plans_schema(), (
        "plans.schema.json is stale: python -m mkdocs_runbooks.insights.feeds > "
        f"{PLANS_SCHEMA_FILE}"
    )
    jsonschema.Draft202012Validator.check_schema(committed)


PLANS = {
    "checkout-api/2026-11-20": plan_text(
        outcome={
            "result": "success",
            "started": "2026-11-20T22:02:00+01:00",
            "finished": "2026-11-20T23:41:00+01:00",
        }
    ),
    "checkout-api/2026-12-01": plan_text(
        release="2.11",
        date="2026-12-01",
        status="rolled-back",
        window_start="2026-12-01T21:00:00-05:00",
        window_duration="45m",
        outcome={"result": "rolled-back"},
    ),
    "search/2026-12-24": plan_text(
        service="search", release="7", date="2026-12-24", status="cancelled", window_start=None
    ),
    "search/2027-01-05": plan_text(
        service="search",
        release="8",
        date="2027-01-05",
        status="scheduled",
        window_start=None,
        window_duration=None,
    ),
    "broken/x": "service: [oops\n",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    root = tmp_path_factory.mktemp("feeds")
    return build_site(root, PLANS, config={"site_url": "https://runbooks.example.com/ops/"})


def feed(site: Site, name: str) -> bytes:
    return (site.site_dir / "plans" / name).read_bytes()


@pytest.mark.slow
def test_plans_json_validates_and_lists_every_plan(site: Site) -> None:
    data = json.loads(feed(site, "plans.json"))
    schema = json.loads(feed(site, "plans.schema.json"))
    assert schema == json.loads(PLANS_SCHEMA_FILE.read_text(encoding="utf-8"))
    jsonschema.validate(data, schema, cls=jsonschema.Draft202012Validator)
    assert data["schema_version"] == SCHEMA_VERSION == 1
    assert data["site_url"] == "https://runbooks.example.com/ops/"
    by_folder = {p["source"]: p for p in data["plans"]}
    assert len(by_folder) == 4 and [i["source"] for i in data["invalid"]] == [
        "plans/broken/x/deployment-plan.yaml"
    ]
    first = by_folder["plans/checkout-api/2026-11-20/deployment-plan.yaml"]
    assert first["url"] == "https://runbooks.example.com/ops/plans/checkout-api/2026-11-20/"
    assert first["window"] == {
        "start": "2026-11-20T22:00:00+01:00",
        "start_utc": "2026-11-20T21:00:00Z",
        "utc_offset": "+01:00",
        "duration": "2h30m",
        "duration_seconds": 9000,
        "end": "2026-11-21T00:30:00+01:00",
    }
    assert first["outcome"]["result"] == "success"
    assert first["rollback_owner"] == "Dana Kowalski (Release Manager)"
    assert first["risk_level"] == "high" and first["pattern"] == "blue-green"
    assert set(first["findings"]) == {"error", "warning", "info"}
    assert by_folder["plans/search/2027-01-05/deployment-plan.yaml"]["window"] is None
    # Every page a URL points at exists.
    for plan in data["plans"]:
        rel = plan["url"].removeprefix("https://runbooks.example.com/ops/")
        assert site.exists(rel), rel


def events(site: Site) -> dict[str, Any]:
    cal = icalendar.Calendar.from_ical(feed(site, "deployments.ics"))
    return {str(e["uid"]): e for e in cal.walk("VEVENT")}


def test_deployments_ics_parses_back_with_windows_and_states(site: Site) -> None:
    raw = feed(site, "deployments.ics")
    assert raw.startswith(b"BEGIN:VCALENDAR\r\n") and b"\r\nVERSION:2.0\r\n" in raw
    found = events(site)
    assert len(found) == 4  # the invalid plan has no event
    base = "https://runbooks.example.com/ops/plans/"
    by_url = {str(e["url"]).removeprefix(base): e for e in found.values()}
    first = by_url["checkout-api/2026-11-20/"]
    assert str(first["summary"]) == "Checkout API 2.10 - card vault migration"
    assert first.decoded("dtstart") == dt.datetime(2026, 11, 20, 21, 0, tzinfo=dt.timezone.utc)
    assert first.decoded("dtend") - first.decoded("dtstart") == dt.timedelta(hours=2, minutes=30)
    assert str(first["status"]) == "CONFIRMED"
    assert str(first["url"]) == "https://runbooks.example.com/ops/plans/checkout-api/2026-11-20/"
    assert "Dana Kowalski (Release Manager)" in str(first["description"])
    rolled = by_url["checkout-api/2026-12-01/"]
    assert str(rolled["summary"]) == "[Rolled back] Checkout API 2.10 - card vault migration"
    assert rolled.decoded("dtstart") == dt.datetime(2026, 12, 2, 2, 0, tzinfo=dt.timezone.utc)
    cancelled = by_url["search/2026-12-24/"]
    assert str(cancelled["status"]) == "CANCELLED"
    assert str(cancelled["summary"]).startswith("[Cancelled] ")
    all_day = by_url["search/2027-01-05/"]
    assert all_day.decoded("dtstart") == dt.date(2027, 1, 5)
    assert all_day.decoded("dtend") == dt.date(2027, 1, 6)


@pytest.mark.slow
def test_event_uids_stay_when_a_plan_changes(tmp_path: Path) -> None:
    plans = {k: v for k, v in PLANS.items() if k != "broken/x"}
    first = events(build_site(tmp_path, plans))
    plans["checkout-api/2026-11-20"] = plan_text(status="cancelled", release="2.10.1")
    again = events(build_site(tmp_path, plans))
    assert set(first) == set(again) and len(first) == 4
    assert len({uid.split("@")[0] for uid in first}) == 4


@pytest.mark.slow
def test_hostile_text_stays_inside_its_property(tmp_path: Path) -> None:
    title = "Evil\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:injected; x,y \\ <script>"
    text = plan_text().replace(
        "title: Checkout API 2.10 - card vault migration", f"title: {json.dumps(title)}"
    )
    site = build_site(tmp_path, {"a/b": text, **{f"h/{p.stem}": p.read_text() for p in
                                                  HOSTILE.glob("*.yaml")}})  # fmt: skip
    found = events(site)
    assert len(found) == 1 + len(list(HOSTILE.glob("*.yaml")))
    # iCalendar text has one line break, written \n: CRLF comes back as LF, nothing else moves.
    # A person reads the summary: hidden characters (CR) show as <U+000D>, as on the pages.
    assert visible(title) in {str(e["summary"]) for e in found.values()}
    data = json.loads(feed(site, "plans.json"))
    assert title in {p["title"] for p in data["plans"]}


@pytest.mark.slow
def test_feeds_off_writes_no_feed(tmp_path: Path) -> None:
    site = build_site(tmp_path, {"a/b": plan_text()}, plugin={"feeds": False})
    assert not (site.site_dir / "plans" / "plans.json").exists()
    assert not (site.site_dir / "plans" / "deployments.ics").exists()
    assert site.exists("insights")
    assert "deployments.ics" not in site.page("insights")
    site = run_build(tmp_path)
    assert not list((tmp_path / "docs").rglob("*.json"))
