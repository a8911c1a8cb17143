"""All insights of a portal, computed once per build: figures, charts, upcoming plans.

Pure: reads the :class:`~mkdocs_runbooks.portal.Portal`, returns data. The renderer shows it
on the Insights page, the service and pattern pages and the index; the adapters write the
charts' ``.svg`` files and the feeds.
"""

from __future__ import annotations

import datetime as dt
import os
import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field

from ..portal import Entry, Portal
from .charts import Chart, Charts
from .figures import Insights, PlanFacts, compute, facts_of
from .upcoming import upcoming

__all__ = ["PortalInsights", "build_date", "collect"]


def build_date() -> dt.date:
    """Today, or the day of ``SOURCE_DATE_EPOCH`` when set (reproducible builds, tests)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).date()
    return dt.date.today()


@dataclass
class PortalInsights:
    """What the insights show, for the whole portal and each service and pattern."""

    today: dt.date
    url: str
    """Address prefix of the Insights page (``insights``)."""
    facts: dict[str, PlanFacts]
    """By plan page source path."""
    portal: Insights
    services: dict[str, Insights]
    patterns: dict[str, Insights]
    upcoming: list[Entry]
    charts: dict[str, dict[str, Chart]] = field(default_factory=dict)
    """By scope (``portal`` or ``service/<name>``), then kind."""
    index_src: str = ""
    service_srcs: dict[str, str] = field(default_factory=dict)
    words: Callable[[str], str] = str
    """The site's words (``t``), for what the adapters draw later (the home-page list)."""
    feeds: dict[str, str] = field(default_factory=dict)
    """The feeds' files by kind (``json``, ``schema``, ``ics``), when written."""

    def page_src(self) -> str:
        return posixpath.join(self.url, "index.md")

    def chart_src(self, scope: str, kind: str) -> str:
        name = scope.replace("/", "-")
        return posixpath.join(self.url, "charts", f"{name}-{kind}.svg")

    def files(self) -> dict[str, str]:
        """Every chart as a standalone SVG file, by its path in the site."""
        return {
            self.chart_src(scope, kind): chart.standalone
            for scope, charts in self.charts.items()
            for kind, chart in charts.items()
        }


def collect(portal: Portal, today: dt.date, t: Callable[[str], str], url: str) -> PortalInsights:
    """Figures and charts of every scope, and the upcoming plans."""
    facts = {
        e.src_uri: facts_of(e.plan, e.src_uri, len(e.loaded.findings))
        for e in portal.valid
        if e.plan is not None
    }
    services = {
        name: compute([facts[e.src_uri] for e in history], today)
        for name, history in portal.by_service.items()
    }
    patterns = {
        name: compute([facts[e.src_uri] for e in users], today)
        for name, users in portal.by_pattern.items()
    }
    whole = compute(facts.values(), today)
    result = PortalInsights(
        today, url, facts, whole, services, patterns, upcoming(portal.valid, facts, today)
    )
    result.words = t
    result.index_src = portal.index_src()
    result.service_srcs = {name: portal.service_src(name) for name in portal.by_service}
    draw = Charts(t)
    result.charts["portal"] = {
        "monthly": draw.monthly(whole.months, "rb-c-portal-monthly", t("Deployments per month")),
        "failure-rate": draw.failure_rate(
            whole.months, "rb-c-portal-failure-rate", t("Change failure rate over time")
        ),
        "durations": draw.durations(
            whole.durations, "rb-c-portal-durations", t("Planned and actual duration")
        ),
        "findings": draw.findings(
            whole.months, "rb-c-portal-findings", t("Findings per plan over time")
        ),
    }
    for name, ins in services.items():
        cid = f"rb-c-{name}"
        result.charts[f"service/{name}"] = {
            "timeline": draw.timeline(ins.plans, f"{cid}-timeline", t("Release timeline")),
            "monthly": draw.monthly(ins.months, f"{cid}-monthly", t("Deployments per month")),
            "failure-rate": draw.failure_rate(
                ins.months, f"{cid}-failure-rate", t("Change failure rate over time")
            ),
            "durations": draw.durations(
                ins.durations, f"{cid}-durations", t("Planned and actual duration")
            ),
        }
    return result
