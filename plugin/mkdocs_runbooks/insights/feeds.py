"""Machine-readable feeds of a portal: ``plans.json`` (with its JSON Schema) and
``deployments.ics`` (an iCalendar feed of every plan's window).

Pure: takes the portal and returns text. ``plans.json`` is a stable interface: its shape is
the pydantic models below, its schema is committed as ``plans.schema.json`` (a test keeps
them in step) and ``schema_version`` changes only when a key is removed or reshaped.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import posixpath
from collections import Counter
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urljoin, urlsplit

import icalendar
from pydantic import BaseModel, ConfigDict, Field

from ..fields import duration_seconds
from ..hidden import visible
from ..model import OUTCOMES, RISK_LEVELS, STATUSES, Plan
from ..portal import Entry, Portal
from .figures import parse_datetime

__all__ = [
    "PLANS_SCHEMA_FILE",
    "SCHEMA_VERSION",
    "PlansIndex",
    "deployments_ics",
    "page_url",
    "plans_json",
    "plans_schema",
]

SCHEMA_VERSION = 1
PLANS_SCHEMA_FILE = Path(__file__).with_name("plans.schema.json")
"""The committed JSON Schema of ``plans.json``."""

Status = Literal[STATUSES]  # type: ignore[valid-type]
Result = Literal[OUTCOMES]  # type: ignore[valid-type]
RiskLevel = Literal[RISK_LEVELS]  # type: ignore[valid-type]


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid")


class WindowRecord(_Record):
    """The planned window, as written and resolved."""

    start: str | None = Field(description="Start as written in the plan (ISO 8601).")
    start_utc: str | None = Field(description="Start in UTC (ISO 8601, `Z`); null if naive.")
    utc_offset: str | None = Field(
        description="The start's UTC offset as written (`+01:00`); null when none was given."
    )
    duration: str | None = Field(description="Duration as written (`2h30m`).")
    duration_seconds: int | None = Field(description="Duration in seconds.")
    end: str | None = Field(description="Start plus duration (ISO 8601, same offset).")


class OutcomeRecord(_Record):
    """What happened, as the plan records it."""

    result: Result = Field(description="success, success-with-issues, rolled-back or aborted.")
    started: str | None = Field(description="As written (ISO 8601).")
    finished: str | None = Field(description="As written (ISO 8601).")


class FindingCounts(_Record):
    """Best-practice findings of the plan, by severity."""

    error: int = Field(ge=0)
    warning: int = Field(ge=0)
    info: int = Field(ge=0)


class PlanRecord(_Record):
    """One valid plan."""

    service: str
    release: str = Field(description="Kept exactly as written.")
    title: str
    environment: str
    date: dt.date = Field(description="Planned deployment date.")
    window: WindowRecord | None
    status: Status
    outcome: OutcomeRecord | None
    pattern: str = Field(description="Id of the strategy's pattern (resolved).")
    risk_level: RiskLevel
    rollback_owner: str
    findings: FindingCounts
    url: str = Field(description="The plan's page: absolute when the site has a site_url.")
    source: str = Field(description="Path of the plan file, relative to mkdocs.yml.")


class InvalidRecord(_Record):
    """A plan file that could not be built."""

    source: str
    url: str
    problems: int = Field(ge=0)


class PlansIndex(_Record):
    """``plans.json``: every plan of the portal, newest first."""

    schema_version: Literal[1] = Field(
        description="Changes only when a key is removed or reshaped."
    )
    build_date: dt.date = Field(description="The build's date ('today' of the figures).")
    site_url: str | None
    plans: list[PlanRecord]
    invalid: list[InvalidRecord]


def plans_schema() -> dict[str, Any]:
    """The JSON Schema of ``plans.json`` (as committed in ``plans.schema.json``)."""
    schema = PlansIndex.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://mkdocs-runbooks.invalid/plans.schema.json"
    return schema


def page_url(src_uri: str, site_url: str, use_directory_urls: bool = True) -> str:
    """The address of a generated page: relative to the site root, absolute with a site URL."""
    path = src_uri[: -len(".md")] if src_uri.endswith(".md") else src_uri
    if use_directory_urls:
        path = posixpath.dirname(path) + "/" if path.endswith("index") else path + "/"
    else:
        path += ".html"
    path = path.lstrip("/")
    if site_url:
        return urljoin(site_url if site_url.endswith("/") else site_url + "/", path)
    return path


def _window(entry: Entry) -> WindowRecord | None:
    plan = entry.plan
    assert plan is not None
    window = plan.window
    if window is None:
        return None
    start = parse_datetime(window.start)
    seconds = duration_seconds(window.duration) if window.duration else None
    offset = None
    start_utc = None
    end = None
    if start is not None:
        if start.tzinfo is not None:
            start_utc = start.astimezone(dt.timezone.utc).isoformat().replace("+00:00", "Z")
            raw = start.strftime("%z")
            offset = f"{raw[:3]}:{raw[3:]}"
        if seconds is not None:
            end = (start + dt.timedelta(seconds=seconds)).isoformat()
    return WindowRecord(
        start=window.start,
        start_utc=start_utc,
        utc_offset=offset,
        duration=window.duration,
        duration_seconds=seconds,
        end=end,
    )


def plans_index(
    portal: Portal, build_date: dt.date, site_url: str = "", use_directory_urls: bool = True
) -> PlansIndex:
    plans = []
    for entry in portal.valid:
        plan = entry.plan
        assert plan is not None
        severities = Counter(f.severity for f in entry.loaded.findings)
        outcome = plan.outcome
        plans.append(
            PlanRecord(
                service=plan.service,
                release=plan.release,
                title=plan.display_title,
                environment=plan.environment,
                date=plan.date,
                window=_window(entry),
                status=plan.status,
                outcome=OutcomeRecord(
                    result=outcome.result, started=outcome.started, finished=outcome.finished
                )
                if outcome
                else None,
                pattern=plan.strategy.pattern,
                risk_level=plan.risk.level,
                rollback_owner=plan.rollback.owner,
                findings=FindingCounts(
                    error=severities["error"],
                    warning=severities["warning"],
                    info=severities["info"],
                ),
                url=page_url(entry.src_uri, site_url, use_directory_urls),
                source=entry.loaded.display,
            )
        )
    invalid = [
        InvalidRecord(
            source=e.loaded.display,
            url=page_url(e.src_uri, site_url, use_directory_urls),
            problems=len(e.loaded.problems),
        )
        for e in portal.entries
        if e.plan is None and e.src_uri
    ]
    return PlansIndex(
        schema_version=SCHEMA_VERSION,
        build_date=build_date,
        site_url=site_url or None,
        plans=plans,
        invalid=invalid,
    )


def plans_json(
    portal: Portal, build_date: dt.date, site_url: str = "", use_directory_urls: bool = True
) -> str:
    """``plans.json``: every plan as data (see :class:`PlansIndex`)."""
    index = plans_index(portal, build_date, site_url, use_directory_urls)
    # Compact: the C encoder (an indented dump runs the pure-Python one, 7x slower).
    return json.dumps(index.model_dump(mode="json"), ensure_ascii=False) + "\n"


_ICS_STATUS = {
    "draft": "TENTATIVE",
    "in-review": "TENTATIVE",
    "cancelled": "CANCELLED",
}
_SUMMARY_MARK = {"cancelled": "Cancelled", "rolled-back": "Rolled back"}


def _uid(entry: Entry, site_url: str) -> str:
    """Stable across builds and edits: the plan's page address (its folder), hashed, at the
    site's host. A calendar app updates the event instead of adding a second one."""
    host = urlsplit(site_url).hostname or "mkdocs-runbooks"
    digest = hashlib.sha256(entry.src_uri.encode()).hexdigest()[:24]
    return f"{digest}@{host}"


def _add_when(event: Any, plan: Plan) -> None:
    """The event's start and end: the window, or the plan's whole day."""
    start = parse_datetime(plan.window.start if plan.window else None)
    seconds = (
        duration_seconds(plan.window.duration) if plan.window and plan.window.duration else None
    )
    if start is None:
        event.add("dtstart", plan.date)
        event.add("dtend", plan.date + dt.timedelta(days=1))
        return
    if start.tzinfo is not None:
        start = start.astimezone(dt.timezone.utc)
    event.add("dtstart", start)
    event.add("dtend", start + dt.timedelta(seconds=seconds or 3600))


def _description(plan: Plan, word: Any) -> list[str]:
    """The event's description: the facts someone deciding from a calendar needs."""
    lines = [
        f"{word('Status')}: {word(plan.status)}",
        f"{word('Rollback owner')}: {plan.rollback.owner}",
        f"{word('Risk')}: {word(plan.risk.level)}",
        f"{word('Strategy')}: {plan.strategy.pattern}",
    ]
    if plan.outcome:
        lines.append(f"{word('Outcome')}: {word(plan.outcome.result)}")
    if plan.window and plan.window.start:
        lines.append(f"{word('Window')}: {plan.window.start} ({plan.window.duration or '?'})")
    return lines


def deployments_ics(
    portal: Portal,
    stamp: dt.datetime,
    site_url: str = "",
    use_directory_urls: bool = True,
    name: str = "Deployments",
    t: Any = None,
) -> bytes:
    """``deployments.ics``: one event per valid plan at its window (all-day on its date when
    the window has no start), with status, link and rollback owner.

    Starts with a UTC offset are written in UTC (an offset is not a time zone, and UTC needs
    no VTIMEZONE); a start without one stays floating (local time), as written.
    """
    word = t or (lambda s: s)
    cal = icalendar.Calendar()
    cal.add("prodid", "-//mkdocs-runbooks//deployments//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    stamp = stamp.astimezone(dt.timezone.utc)
    for entry in sorted(portal.valid, key=lambda e: e.sort_key):
        plan = entry.plan
        assert plan is not None
        event = icalendar.Event()
        event.add("uid", _uid(entry, site_url))
        event.add("dtstamp", stamp)
        _add_when(event, plan)
        mark = _SUMMARY_MARK.get(plan.status)
        if plan.outcome and plan.outcome.result in ("rolled-back", "aborted"):
            mark = {"rolled-back": "Rolled back", "aborted": "Aborted"}[plan.outcome.result]
        summary = plan.display_title
        event.add("summary", visible(f"[{word(mark)}] {summary}" if mark else summary))
        event.add("status", _ICS_STATUS.get(plan.status, "CONFIRMED"))
        url = page_url(entry.src_uri, site_url, use_directory_urls)
        if site_url:
            event.add("url", url)
        lines = [*_description(plan, word), url]
        event.add("description", visible("\n".join(lines)))
        event.add("contact", visible(plan.rollback.owner))
        event.add("categories", [plan.service, plan.status])
        cal.add_component(event)
    data: bytes = cal.to_ical()
    return data


if __name__ == "__main__":  # regenerate the committed schema: python -m ...insights.feeds
    print(json.dumps(plans_schema(), indent=1))
