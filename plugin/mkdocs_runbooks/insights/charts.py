"""Static SVG charts of the figures, drawn at build time from small Jinja2 templates.

No JavaScript and no external file: a chart works offline, in print and under ``file://``.
Templates are autoescaped, so a release or title from a plan is text in ``<title>``
elements, never markup. Colours come from classes (``rb-c-*``): inside a page the plugin's
stylesheet maps them to Material's colour variables (light and dark); a standalone ``.svg``
file carries a small ``<style>`` with the same colours and a dark variant
(``prefers-color-scheme``).

Why not pygal: see ``docs/insights-guide.md`` (measured: larger files, inline styles per chart
that ignore the site's palette, and a tooltip script that does not run in ``<img>``).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from ..hidden import visible
from .figures import OUTCOME_KEYS, Month, PlanFacts, format_seconds

__all__ = ["STANDALONE_STYLE", "Chart", "Charts"]

Words = Callable[[str], str]

WIDTH = 600
LEFT = 70
RIGHT = WIDTH - 12
MAX_DURATION_ROWS = 12
_LEGEND = {"ok": "went well", "failed": "rolled back or aborted"}

STANDALONE_STYLE = (
    ".rb-chart{font:12px system-ui,sans-serif;background:#fff}"
    ".rb-c-label{fill:#555}.rb-c-axis{stroke:#888}.rb-c-grid{stroke:#e4e4e4}"
    ".rb-c-success,.rb-c-ok{fill:#2e7d32}.rb-c-success-with-issues{fill:#ef8f00}"
    ".rb-c-rolled-back,.rb-c-failed{fill:#c62828}.rb-c-aborted{fill:#6a1b9a}"
    ".rb-c-not-run{fill:#fff;stroke:#777}.rb-c-bar{fill:#3f51b5}.rb-c-planned{fill:#bbb}"
    ".rb-c-line{fill:none;stroke:#3f51b5;stroke-width:2}.rb-c-point{fill:#3f51b5}"
    "@media (prefers-color-scheme:dark){.rb-chart{background:#1e2129}.rb-c-label{fill:#ccc}"
    ".rb-c-grid{stroke:#3a3f4b}.rb-c-success,.rb-c-ok{fill:#66bb6a}"
    ".rb-c-success-with-issues{fill:#ffb74d}.rb-c-rolled-back,.rb-c-failed{fill:#ef5350}"
    ".rb-c-aborted{fill:#ce93d8}.rb-c-not-run{fill:#1e2129;stroke:#aaa}"
    ".rb-c-bar,.rb-c-point{fill:#8c9eff}.rb-c-line{stroke:#8c9eff}.rb-c-planned{fill:#666}}"
)


def _shown(value: Any) -> Any:
    """Jinja2 ``finalize``: a plain string shows its hidden characters (bidi controls,
    zero-width, CR) as ``<U+XXXX>``, as the pages do, before it is escaped."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return visible(value)
    return value


TEMPLATES = Environment(
    loader=PackageLoader("mkdocs_runbooks.insights", "templates"),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    finalize=_shown,
)
"""The insights' templates, compiled once per process (charts, the home-page list)."""


@dataclass(frozen=True)
class Chart:
    """One chart: its SVG for the page, and the same as a standalone file."""

    kind: str
    cid: str
    svg: Markup
    standalone: str

    @property
    def size(self) -> int:
        return len(self.standalone.encode())


def _axis(value: float, ticks: int = 4, whole: bool = False) -> tuple[float, list[float]]:
    """A round axis maximum and its tick values: steps of 1, 2, 2.5 or 5 x 10^n (whole
    numbers only when ``whole``, for counts)."""
    if value <= 0:
        return 1.0, [0.0, 1.0]
    raw = value / ticks
    exp = 10 ** math.floor(math.log10(raw))
    step = next(m * exp for m in (1, 2, 2.5, 5, 10) if m * exp >= raw)
    if whole:
        step = max(1.0, float(math.ceil(step)))
    count = math.ceil(value / step - 1e-9)
    return step * count, [step * i for i in range(count + 1)]


_TIME_STEPS = (60, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800)


def _time_axis(value: float) -> tuple[float, list[float]]:
    """A time axis in round minutes, hours or days, with 3 to 5 ticks."""
    step = next((s for s in _TIME_STEPS if value / s <= 4), 86400 * math.ceil(value / 86400 / 4))
    count = max(1, math.ceil(value / step - 1e-9))
    return step * count, [step * i for i in range(count + 1)]


_BETWEEN_TAGS = re.compile(r">\s+<")


def _r(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


@dataclass(frozen=True)
class _Frame:
    """A chart's plot area in SVG units; the drawing is 24 units taller than ``bottom``
    (the x-axis labels)."""

    top: int
    bottom: int
    left: int = LEFT
    right: int = RIGHT

    def geometry(self) -> dict[str, int]:
        """What every chart template is given."""
        return {
            "left": self.left,
            "right": self.right,
            "top": self.top,
            "bottom": self.bottom,
            "height": self.bottom + 24,
        }

    def slots(self, count: int) -> tuple[Callable[[int], float], float]:
        """The centre of slot ``i`` of ``count`` equal slots across the area, and a bar's
        width in one (80 % of a slot)."""
        slot = (self.right - self.left) / max(count, 1)

        def x(i: int) -> float:
            return self.left + slot * i + slot / 2

        return x, max(slot * 0.8, 0.6)


class Charts:
    """Draws the charts of one page; ``t`` translates the chart's own words."""

    def __init__(self, t: Words | None = None) -> None:
        self.t: Words = t or (lambda s: s)
        self.env = TEMPLATES

    def _draw(self, template: str, kind: str, cid: str, frame: _Frame, **context: Any) -> Chart:
        tpl = self.env.get_template(template)
        drawn = tpl.render(kind=kind, cid=cid, width=WIDTH, **frame.geometry(), **context)
        # No whitespace between elements: smaller, and fewer nodes for every HTML parser
        # that reads the page afterwards (the search index parses each page).
        svg = _BETWEEN_TAGS.sub("><", drawn)
        svg = svg.strip()
        # The file is the same drawing with its own colours, after the opening tag (whose
        # attributes hold no plan text).
        end = svg.index(">") + 1
        standalone = f"{svg[:end]}\n<style>{STANDALONE_STYLE}</style>{svg[end:]}\n"
        return Chart(kind, cid, Markup(svg), standalone)

    def _legend(self, keys: Sequence[str], right: float = RIGHT) -> list[dict[str, Any]]:
        items, x = [], float(right)
        for key in reversed(keys):
            label = self.t(_LEGEND.get(key, f"outcome:{key}"))
            x -= 20 + 6.5 * len(label)
            items.append({"key": key, "label": label, "x": _r(x), "tx": _r(x + 14)})
        return list(reversed(items))

    def timeline(self, plans: Sequence[PlanFacts], cid: str, title: str) -> Chart:
        """Every plan as a dot on a time axis, one lane per outcome."""
        top, lane_h = 14, 22
        lanes: list[dict[str, Any]] = [
            {"key": key, "label": self.t(f"outcome:{key}"), "y": top + 8 + i * lane_h}
            for i, key in enumerate(OUTCOME_KEYS)
        ]
        bottom = top + lane_h * len(OUTCOME_KEYS)
        left = 96
        dates = [p.date for p in plans]
        first = min(dates) if dates else dt.date.today()
        last = max(dates) if dates else first
        span = max((last - first).days, 1)

        def x(day: dt.date) -> str:
            return _r(left + 8 + (RIGHT - left - 16) * (day - first).days / span)

        for lane in lanes:
            lane["dots"] = [
                {"x": x(p.date), "label": f"{p.release}, {p.date.isoformat()}"}
                for p in sorted(plans, key=lambda p: p.date)
                if p.category == lane["key"]
            ]
        ticks = []
        years = range(first.year, last.year + 1)
        if len(years) > 1:
            step = max(1, math.ceil(len(years) / 8))
            ticks = [
                {"x": x(dt.date(y, 1, 1)), "label": str(y)}
                for y in years
                if dt.date(y, 1, 1) >= first and (y - first.year) % step == 0
            ]
        if len(ticks) < 2:
            ticks = [{"x": x(first), "label": first.isoformat()}]
            if last != first:
                ticks.append({"x": x(last), "label": last.isoformat()})
        counts = {k: sum(1 for p in plans if p.category == k) for k in OUTCOME_KEYS}
        desc = f"{len(plans)} {self.t('plans')}: " + ", ".join(
            f"{counts[k]} {self.t('outcome:' + k)}" for k in OUTCOME_KEYS
        )
        return self._draw(
            "timeline.svg.j2",
            "timeline",
            cid,
            _Frame(top, bottom, left),
            title=title,
            desc=desc,
            lanes=lanes,
            ticks=ticks,
            radius=5 if len(plans) < 100 else 4,
        )

    def _month_ticks(
        self, months: Sequence[Month], x: Callable[[int], float]
    ) -> list[dict[str, Any]]:
        step = max(1, math.ceil(len(months) / 6))
        return [
            {"x": _r(x(i)), "label": m.month}
            for i, m in enumerate(months)
            if i % step == 0 or len(months) == 1
        ]

    def _yticks(
        self,
        top: float,
        bottom: float,
        vmax: float,
        values: Sequence[float],
        fmt: Callable[[float], str],
    ) -> list[dict[str, Any]]:
        return [
            {
                "y": _r(bottom - (bottom - top) * v / vmax),
                "ty": _r(bottom - (bottom - top) * v / vmax + 4),
                "label": fmt(v),
            }
            for v in values
        ]

    def monthly(self, months: Sequence[Month], cid: str, title: str) -> Chart:
        """Executed plans per month, split into those that went well and those that failed."""
        frame = _Frame(top=28, bottom=170)
        top, bottom = frame.top, frame.bottom
        vmax, yvalues = _axis(max((m.executed for m in months), default=0), whole=True)
        x, width = frame.slots(len(months))
        scale = (bottom - top) / vmax
        bars = []
        for i, m in enumerate(months):
            ok = m.executed - m.failed
            if ok:
                bars.append(
                    {
                        "key": "ok",
                        "x": _r(x(i) - width / 2),
                        "y": _r(bottom - ok * scale),
                        "w": _r(width),
                        "h": _r(ok * scale),
                    }
                )
            if m.failed:
                bars.append(
                    {
                        "key": "failed",
                        "x": _r(x(i) - width / 2),
                        "y": _r(bottom - m.executed * scale),
                        "w": _r(width),
                        "h": _r(m.failed * scale),
                    }
                )
        total = sum(m.executed for m in months)
        failed = sum(m.failed for m in months)
        desc = (
            f"{total} {self.t('deployments in')} {len(months)} {self.t('months')}, "
            f"{failed} {self.t('failed')}"
        )
        return self._draw(
            "bars.svg.j2",
            "monthly",
            cid,
            frame,
            title=title,
            desc=desc,
            bars=bars,
            xticks=self._month_ticks(months, x),
            yticks=self._yticks(top, bottom, vmax, yvalues, lambda v: f"{v:g}"),
            legend=self._legend(["ok", "failed"]),
        )

    def findings(self, months: Sequence[Month], cid: str, title: str) -> Chart:
        """Best-practice findings per plan, month by month."""
        frame = _Frame(top=20, bottom=150)
        top, bottom = frame.top, frame.bottom
        values = [m.findings_per_plan for m in months]
        vmax, yvalues = _axis(max((v for v in values if v is not None), default=0))
        x, width = frame.slots(len(months))

        bars = [
            {
                "key": "bar",
                "x": _r(x(i) - width / 2),
                "y": _r(bottom - (bottom - top) * v / vmax),
                "w": _r(width),
                "h": _r((bottom - top) * v / vmax),
            }
            for i, (m, v) in enumerate(zip(months, values, strict=True))
            if v
        ]
        desc = f"{len(months)} {self.t('months')}, {sum(m.plans for m in months)} {self.t('plans')}"
        return self._draw(
            "bars.svg.j2",
            "findings",
            cid,
            frame,
            title=title,
            desc=desc,
            bars=bars,
            xticks=self._month_ticks(months, x),
            yticks=self._yticks(top, bottom, vmax, yvalues, lambda v: f"{v:g}"),
            legend=[],
        )

    def failure_rate(self, months: Sequence[Month], cid: str, title: str) -> Chart:
        """Change failure rate over the 90 days up to each month's end; gaps where too few
        plans ran."""
        frame = _Frame(top=14, bottom=150)
        top, bottom = frame.top, frame.bottom
        x, _ = frame.slots(len(months))
        segments: list[str] = []
        dots = []
        current: list[str] = []
        rates = [m.rate for m in months]
        vmax, yvalues = _axis(max(max((r for r in rates if r is not None), default=0), 10))
        for i, m in enumerate(months):
            rate = m.rate
            if rate is None:
                if len(current) > 1:
                    segments.append(" ".join(current))
                current = []
                continue
            y = bottom - (bottom - top) * rate / vmax
            current.append(f"{_r(x(i))},{_r(y)}")
            dots.append(
                {
                    "x": _r(x(i)),
                    "y": _r(y),
                }
            )
        if len(current) > 1:
            segments.append(" ".join(current))
        shown = len(dots)
        desc = f"{shown} {self.t('of')} {len(months)} {self.t('months have enough data')}"
        return self._draw(
            "line.svg.j2",
            "failure-rate",
            cid,
            frame,
            title=title,
            desc=desc,
            segments=segments,
            dots=dots,
            xticks=self._month_ticks(months, x),
            yticks=self._yticks(top, bottom, vmax, yvalues, lambda v: f"{v:g}%"),
            empty="" if dots else self.t("not enough data"),
        )

    def durations(self, plans: Sequence[PlanFacts], cid: str, title: str) -> Chart:
        """Planned against actual duration of the latest plans that have both."""
        rows_in = list(plans)[:MAX_DURATION_ROWS]
        top, row_h, left = 26, 18, 120
        bottom = top + row_h * max(len(rows_in), 1)
        vmax, xvalues = _time_axis(
            max((max(p.planned or 0, p.actual or 0) for p in rows_in), default=0)
        )
        scale = (RIGHT - left) / vmax
        rows = []
        for i, p in enumerate(rows_in):
            planned, actual = p.planned or 0, p.actual or 0
            label = p.release if len(p.release) <= 16 else p.release[:15] + "…"
            rows.append(
                {
                    "y": top + i * row_h + 2,
                    "label": label,
                    "planned": _r(planned * scale),
                    "actual": _r(actual * scale),
                    "key": "failed" if actual > planned else "ok",
                }
            )
        xticks = [
            {"x": _r(left + (RIGHT - left) * v / vmax), "label": format_seconds(v)} for v in xvalues
        ]
        over = sum(1 for p in rows_in if (p.actual or 0) > (p.planned or 0))
        desc = f"{len(rows_in)} {self.t('plans')}, {over} {self.t('longer than planned')}"
        legend = [
            {"key": "planned", "label": self.t("planned"), "x": left, "tx": left + 14},
            {"key": "ok", "label": self.t("actual, within plan"), "x": left + 80, "tx": left + 94},
            {
                "key": "failed",
                "label": self.t("actual, over plan"),
                "x": left + 230,
                "tx": left + 244,
            },
        ]
        return self._draw(
            "durations.svg.j2",
            "durations",
            cid,
            _Frame(top, bottom, left),
            title=title,
            desc=desc,
            rows=rows,
            xticks=xticks,
            legend=legend,
            empty="" if rows else self.t("not enough data"),
        )
