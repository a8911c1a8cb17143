"""Delivery figures from the plans alone: pure data, no Markdown, no MkDocs.

Every plan is first reduced to :class:`PlanFacts` (what happened, when, how long it was
planned to take); the figures are computed from those facts. Each :class:`Figure` says how it
is computed, how many plans it rests on and the minimum below which it is "not enough data".

Definitions (also on the Insights page and in ``docs/insights-guide.md``):

- A plan is *executed* when it has an ``outcome``, or its status is ``completed`` or
  ``rolled-back``.
- An executed plan *failed* when its outcome is ``rolled-back`` or ``aborted`` (or, without an
  outcome, its status is ``rolled-back``).
- *Change failure rate*: failed / executed, by plan date; over the 90 days up to the build
  date (``today``) and over all time.
- *Actual duration*: ``outcome.finished - outcome.started``. *Planned duration*: the window's
  ``duration``; without one, the sum of the phases' durations (a phase without a duration
  counts the sum of its steps'); unknown when a phase has neither.
- *Time to restore* of a failed plan: from ``outcome.started`` (else ``window.start``) to
  ``outcome.finished``; without ``finished``, to the last time written in ``outcome.notes``
  (an ISO 8601 date-time, or ``HH:MM`` on the day it started, in its time zone).
"""

from __future__ import annotations

import datetime as dt
import re
import statistics
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ..fields import duration_seconds
from ..model import Plan

__all__ = [
    "MIN_DURATION",
    "MIN_RATE",
    "OUTCOME_KEYS",
    "Figure",
    "Insights",
    "Month",
    "PatternRow",
    "PlanFacts",
    "compute",
    "facts_of",
    "format_seconds",
    "parse_datetime",
]

MIN_RATE = 5
"""Executed plans needed for a change failure rate."""
MIN_DURATION = 3
"""Plans with measured times needed for a median duration or time to restore."""
WINDOW_DAYS = 90

OUTCOME_KEYS = ("success", "success-with-issues", "rolled-back", "aborted", "not-run")
"""Outcome categories of the timeline, in display order (``not-run``: not executed yet)."""
_FAILED = frozenset({"rolled-back", "aborted"})
_EXECUTED_STATUSES = frozenset({"completed", "rolled-back"})


def parse_datetime(value: str | None) -> dt.datetime | None:
    """An ISO 8601 date-time as written in a plan (``Z`` allowed); ``None`` when absent or
    unreadable."""
    if not value:
        return None
    try:
        return dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None


def _span(start: dt.datetime, end: dt.datetime) -> int | None:
    """Seconds from ``start`` to ``end``; a naive end takes the start's zone and vice versa.
    ``None`` when the end is before the start (the times contradict each other)."""
    if (start.tzinfo is None) != (end.tzinfo is None):
        if start.tzinfo is None:
            start = start.replace(tzinfo=end.tzinfo)
        else:
            end = end.replace(tzinfo=start.tzinfo)
    seconds = int((end - start).total_seconds())
    return seconds if seconds >= 0 else None


_ISO_IN_TEXT = re.compile(r"\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:\d{2})?")
_CLOCK_IN_TEXT = re.compile(r"(?<![\d:.-])([01]?\d|2[0-3]):([0-5]\d)(?![\d:])")


def notes_end(notes: str | None, start: dt.datetime) -> dt.datetime | None:
    """The last time written in an outcome's notes, read after ``start``: ISO 8601 date-times
    as they are; ``HH:MM`` on the day of ``start`` in its zone (the next day when earlier
    than ``start``)."""
    if not notes:
        return None
    found: list[dt.datetime] = []
    for match in _ISO_IN_TEXT.finditer(notes):
        when = parse_datetime(match.group(0).replace(" ", "T"))
        if when is not None:
            found.append(when)
    rest = _ISO_IN_TEXT.sub(" ", notes)
    for match in _CLOCK_IN_TEXT.finditer(rest):
        when = start.replace(hour=int(match.group(1)), minute=int(match.group(2)), second=0)
        if when < start:
            when += dt.timedelta(days=1)
        found.append(when)
    ends = [(_span(start, when), when) for when in found]
    measurable = [(s, when) for s, when in ends if s is not None]
    return max(measurable, key=lambda x: x[0])[1] if measurable else None


def planned_seconds(plan: Plan) -> int | None:
    """The window's duration, else the sum of the phases' durations (a phase without one
    counts its steps'); ``None`` when some phase has neither."""
    if plan.window and plan.window.duration:
        return duration_seconds(plan.window.duration)
    total = 0
    for phase in plan.phases:
        if phase.duration:
            total += duration_seconds(phase.duration)
        elif all(step.duration for step in phase.steps):
            total += sum(duration_seconds(step.duration or "0s") for step in phase.steps)
        else:
            return None
    return total


@dataclass(frozen=True)
class PlanFacts:
    """One plan, reduced to what the figures need."""

    service: str
    release: str
    title: str
    date: dt.date
    status: str
    pattern: str
    result: str | None
    src_uri: str = ""
    started: dt.datetime | None = None
    finished: dt.datetime | None = None
    planned: int | None = None
    """Planned duration in seconds."""
    actual: int | None = None
    """``finished - started`` in seconds."""
    restore: int | None = None
    """Time to restore in seconds (failed plans only)."""
    findings: int = 0

    @property
    def executed(self) -> bool:
        return self.result is not None or self.status in _EXECUTED_STATUSES

    @property
    def failed(self) -> bool:
        if self.result is not None:
            return self.result in _FAILED
        return self.status == "rolled-back"

    @property
    def category(self) -> str:
        """One of :data:`OUTCOME_KEYS`."""
        if self.result is not None:
            return self.result
        if self.status == "rolled-back":
            return "rolled-back"
        if self.status == "completed":
            return "success"
        return "not-run"

    @property
    def month(self) -> str:
        return self.date.strftime("%Y-%m")


def facts_of(plan: Plan, src_uri: str = "", findings: int = 0) -> PlanFacts:
    """The facts of one valid plan."""
    outcome = plan.outcome
    started = parse_datetime(outcome.started) if outcome else None
    finished = parse_datetime(outcome.finished) if outcome else None
    actual = _span(started, finished) if started and finished else None
    restore: int | None = None
    result = outcome.result if outcome else None
    failed = (result in _FAILED) if result else plan.status == "rolled-back"
    if failed:
        begin = started or parse_datetime(plan.window.start if plan.window else None)
        end = finished
        if begin is not None and end is None and outcome is not None:
            end = notes_end(outcome.notes, begin)
        restore = _span(begin, end) if begin and end else None
    return PlanFacts(
        service=plan.service,
        release=plan.release,
        title=plan.display_title,
        date=plan.date,
        status=plan.status,
        pattern=plan.strategy.pattern,
        result=result,
        src_uri=src_uri,
        started=started,
        finished=finished,
        planned=planned_seconds(plan),
        actual=actual,
        restore=restore,
        findings=findings,
    )


def format_seconds(seconds: float) -> str:
    """``5940`` -> ``1h 39m``; under a minute in seconds; days above 48 hours."""
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds}s"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"{minutes}m"
    hours, minutes = divmod(minutes, 60)
    if hours >= 48:
        days, hours = divmod(hours, 24)
        return f"{days}d {hours}h" if hours else f"{days}d"
    return f"{hours}h {minutes:02d}m" if minutes else f"{hours}h"


@dataclass(frozen=True)
class Figure:
    """One headline figure: its value (``None``: not enough data) and how it was made."""

    key: str
    label: str
    value: float | None
    unit: str
    """``percent``, ``seconds``, ``ratio`` or ``count``."""
    basis: int
    """How many plans it rests on."""
    minimum: int
    how: str
    detail: str = ""

    @property
    def enough(self) -> bool:
        return self.value is not None

    @property
    def text(self) -> str:
        """The value as shown; ``not enough data`` when there is none."""
        if self.value is None:
            return "not enough data"
        if self.unit == "percent":
            return f"{self.value:.0f}%"
        if self.unit == "seconds":
            return format_seconds(self.value)
        if self.unit == "ratio":
            return f"{self.value:.2f}\u00d7"
        if self.unit == "rate":
            return f"{self.value:.1f}"
        return f"{self.value:g}"


@dataclass(frozen=True)
class Month:
    """One calendar month of a history."""

    month: str
    plans: int = 0
    executed: int = 0
    failed: int = 0
    findings: int = 0
    rate_basis: int = 0
    """Executed plans in the 90 days up to the month's end."""
    rate_failed: int = 0

    @property
    def rate(self) -> float | None:
        """Change failure rate (percent) over the 90 days up to the month's end."""
        if self.rate_basis < MIN_RATE:
            return None
        return 100 * self.rate_failed / self.rate_basis

    @property
    def findings_per_plan(self) -> float | None:
        return self.findings / self.plans if self.plans else None


@dataclass(frozen=True)
class PatternRow:
    """How the plans of one strategy pattern went."""

    pattern: str
    plans: int
    counts: dict[str, int]
    executed: int
    failed: int

    @property
    def rate(self) -> float | None:
        return 100 * self.failed / self.executed if self.executed >= MIN_RATE else None


@dataclass
class Insights:
    """The figures of one set of plans (the portal, a service or a pattern)."""

    today: dt.date
    plans: list[PlanFacts]
    """Newest first."""
    figures: list[Figure] = field(default_factory=list)
    months: list[Month] = field(default_factory=list)
    patterns: list[PatternRow] = field(default_factory=list)

    @property
    def executed(self) -> list[PlanFacts]:
        return [p for p in self.plans if p.executed]

    @property
    def durations(self) -> list[PlanFacts]:
        """Executed plans with both a planned and an actual duration, newest first."""
        return [p for p in self.plans if p.planned is not None and p.actual is not None]

    @property
    def restores(self) -> list[PlanFacts]:
        """Failed plans, newest first (with or without a measurable time to restore)."""
        return [p for p in self.plans if p.failed]

    def figure(self, key: str) -> Figure:
        return next(f for f in self.figures if f.key == key)

    def outcome_counts(self) -> dict[str, int]:
        counts = Counter(p.category for p in self.plans)
        return {key: counts.get(key, 0) for key in OUTCOME_KEYS}


def _rate(plans: Sequence[PlanFacts], key: str, label: str, how: str) -> Figure:
    executed = [p for p in plans if p.executed]
    failed = sum(1 for p in executed if p.failed)
    value = 100 * failed / len(executed) if len(executed) >= MIN_RATE else None
    return Figure(
        key, label, value, "percent", len(executed), MIN_RATE, how, f"{failed} of {len(executed)}"
    )


def _months_between(first: dt.date, last: dt.date) -> list[dt.date]:
    out: list[dt.date] = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        out.append(dt.date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def _month_end(first_day: dt.date) -> dt.date:
    nxt = dt.date(first_day.year + first_day.month // 12, first_day.month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def _months(plans: Sequence[PlanFacts]) -> list[Month]:
    if not plans:
        return []
    dates = [p.date for p in plans]
    starts = _months_between(min(dates), max(dates))
    by_month: dict[str, list[PlanFacts]] = defaultdict(list)
    for p in plans:
        by_month[p.month].append(p)
    executed = sorted((p for p in plans if p.executed), key=lambda p: p.date)
    exec_dates = [p.date for p in executed]
    failed_prefix = [0]
    for p in executed:
        failed_prefix.append(failed_prefix[-1] + (1 if p.failed else 0))
    months: list[Month] = []
    for start in starts:
        key = start.strftime("%Y-%m")
        items = by_month.get(key, [])
        end = _month_end(start)
        lo = bisect_right(exec_dates, end - dt.timedelta(days=WINDOW_DAYS))
        hi = bisect_right(exec_dates, end)
        months.append(
            Month(
                month=key,
                plans=len(items),
                executed=sum(1 for p in items if p.executed),
                failed=sum(1 for p in items if p.executed and p.failed),
                findings=sum(p.findings for p in items),
                rate_basis=hi - lo,
                rate_failed=failed_prefix[hi] - failed_prefix[lo],
            )
        )
    return months


def _patterns(plans: Sequence[PlanFacts]) -> list[PatternRow]:
    groups: dict[str, list[PlanFacts]] = defaultdict(list)
    for p in plans:
        groups[p.pattern].append(p)
    rows = []
    for pattern, items in groups.items():
        counts = Counter(p.category for p in items)
        executed = [p for p in items if p.executed]
        rows.append(
            PatternRow(
                pattern,
                len(items),
                {key: counts.get(key, 0) for key in OUTCOME_KEYS},
                len(executed),
                sum(1 for p in executed if p.failed),
            )
        )
    return sorted(rows, key=lambda r: (-r.plans, r.pattern))


def compute(plans: Iterable[PlanFacts], today: dt.date) -> Insights:
    """Every figure of a set of plans, relative to ``today`` (the build date)."""
    items = sorted(plans, key=lambda p: (p.date, p.service, p.release), reverse=True)
    figures = _delivery(items, today) + _durations(items)
    figures.append(
        Figure(
            "findings_per_plan",
            "Findings per plan",
            round(sum(p.findings for p in items) / len(items), 1) if items else None,
            "rate",
            len(items),
            1,
            "Best-practice findings of all plans divided by the number of plans.",
        )
    )
    return Insights(today, items, figures, _months(items), _patterns(items))


def _delivery(items: list[PlanFacts], today: dt.date) -> list[Figure]:
    """How often plans are carried out, and how often they fail."""
    executed = [p for p in items if p.executed]
    since = today - dt.timedelta(days=WINDOW_DAYS)
    recent = [p for p in items if since < p.date <= today]
    figures: list[Figure] = []

    # Deployments per month: executed plans over the last 12 months (or since the first).
    back = today.year * 12 + today.month - 12  # 11 months back: with this one, 12 months
    year_ago = dt.date(back // 12, back % 12 + 1, 1)
    past = [p for p in executed if p.date <= today]
    if past:
        first = max(min(p.date for p in past), year_ago)
        span = len(_months_between(first, today))
        counted = sum(1 for p in past if p.date >= first)
        per_month: float | None = round(counted / span, 1)
    else:
        span, counted, per_month = 0, 0, None
    figures.append(
        Figure(
            "deployments_per_month",
            "Deployments per month",
            per_month,
            "rate",
            counted,
            1,
            "Executed plans dated in the last 12 months (or since the first one) divided by "
            "the number of months.",
            f"{counted} in {span} months" if span else "",
        )
    )
    figures.append(
        Figure(
            "deployments_90d",
            "Deployments, last 90 days",
            float(sum(1 for p in recent if p.executed)),
            "count",
            sum(1 for p in recent if p.executed),
            0,
            f"Executed plans dated from {since + dt.timedelta(days=1)} to {today}.",
        )
    )
    figures.append(
        _rate(
            recent,
            "change_failure_rate_90d",
            "Change failure rate, last 90 days",
            f"Rolled back or aborted among executed plans dated from "
            f"{since + dt.timedelta(days=1)} to {today}.",
        )
    )
    figures.append(
        _rate(
            items,
            "change_failure_rate",
            "Change failure rate, all time",
            "Rolled back or aborted among all executed plans.",
        )
    )
    return figures


def _durations(items: list[PlanFacts]) -> list[Figure]:
    """How long restores and runs take, against the plan."""
    figures: list[Figure] = []
    restores = [p.restore for p in items if p.failed and p.restore is not None]
    figures.append(
        Figure(
            "time_to_restore",
            "Time to restore (median)",
            statistics.median(restores) if len(restores) >= MIN_DURATION else None,
            "seconds",
            len(restores),
            MIN_DURATION,
            "Median, over rolled-back and aborted plans, of the time from outcome.started "
            "(else window.start) to outcome.finished (else the last time in outcome.notes).",
        )
    )
    timed = [p for p in items if p.planned and p.actual is not None]
    ratios = [(p.actual or 0) / (p.planned or 1) for p in timed]
    figures.append(
        Figure(
            "duration_ratio",
            "Actual / planned duration (median)",
            statistics.median(ratios) if len(ratios) >= MIN_DURATION else None,
            "ratio",
            len(ratios),
            MIN_DURATION,
            "Median of (outcome.finished - outcome.started) / planned duration (window "
            "duration, else the sum of phase durations).",
        )
    )
    over = sum(1 for r in ratios if r > 1)
    figures.append(
        Figure(
            "over_plan",
            "Ran longer than planned",
            100 * over / len(ratios) if len(ratios) >= MIN_DURATION else None,
            "percent",
            len(ratios),
            MIN_DURATION,
            "Share of plans whose actual duration exceeded the planned one.",
            f"{over} of {len(ratios)}",
        )
    )
    actuals = [p.actual for p in items if p.actual is not None]
    figures.append(
        Figure(
            "actual_duration",
            "Actual duration (median)",
            statistics.median(actuals) if len(actuals) >= MIN_DURATION else None,
            "seconds",
            len(actuals),
            MIN_DURATION,
            "Median of outcome.finished - outcome.started.",
        )
    )
    return figures
