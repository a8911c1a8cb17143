"""Insights figures against values computed by hand on small fixture histories."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import yaml

from histories import plan_text
from mkdocs_runbooks.insights.figures import (
    MIN_RATE,
    PlanFacts,
    compute,
    facts_of,
    format_seconds,
    planned_seconds,
)
from mkdocs_runbooks.model import Plan
from sitebuild import spec_text

TODAY = dt.date(2026, 12, 1)


def plan(**kw: Any) -> Plan:
    return Plan.model_validate(yaml.safe_load(plan_text(**kw)))


def facts(**kw: Any) -> PlanFacts:
    return facts_of(plan(**kw))


def failed(day: str, started: str | None, finished: str | None, notes: str = "") -> PlanFacts:
    outcome = {"result": "rolled-back"}
    if started:
        outcome["started"] = started
    if finished:
        outcome["finished"] = finished
    if notes:
        outcome["notes"] = notes
    return facts(date=day, status="rolled-back", outcome=outcome)


def test_empty_history_says_not_enough_data() -> None:
    ins = compute([], TODAY)
    assert ins.plans == [] and ins.months == [] and ins.patterns == []
    for key in (
        "deployments_per_month",
        "change_failure_rate_90d",
        "change_failure_rate",
        "time_to_restore",
        "duration_ratio",
        "findings_per_plan",
    ):
        figure = ins.figure(key)
        assert figure.value is None and figure.text == "not enough data", key
        assert figure.basis == 0
    assert ins.figure("deployments_90d").value == 0


def test_single_plan_the_contract_example() -> None:
    one = facts_of(Plan.model_validate(yaml.safe_load(spec_text("example"))), findings=2)
    # 22:02 -> 23:41 at +01:00 is 99 minutes; the window is 2h30m.
    assert one.actual == 99 * 60 and one.planned == 150 * 60
    assert one.executed and not one.failed and one.restore is None
    ins = compute([one], TODAY)
    # One executed plan in November; months counted from November to December (today): 2.
    assert ins.figure("deployments_per_month").value == 0.5
    assert ins.figure("deployments_90d").value == 1
    rate = ins.figure("change_failure_rate")
    assert rate.value is None and rate.basis == 1 and rate.minimum == MIN_RATE
    assert ins.figure("duration_ratio").text == "not enough data"
    assert ins.figure("findings_per_plan").value == 2
    assert [(m.month, m.plans, m.executed, m.findings) for m in ins.months] == [
        ("2026-11", 1, 1, 2)
    ]


def test_all_failed() -> None:
    plans = [
        failed("2026-11-01", "2026-11-01T22:00:00+01:00", "2026-11-01T22:30:00+01:00"),  # 30m
        failed("2026-11-02", "2026-11-02T22:00:00+01:00", "2026-11-02T23:00:00+01:00"),  # 60m
        failed("2026-11-03", "2026-11-03T22:00:00+01:00", "2026-11-03T22:10:00+01:00"),  # 10m
        failed("2026-11-04", "2026-11-04T22:00:00+01:00", "2026-11-04T22:20:00+01:00"),  # 20m
        failed("2026-11-05", None, None),  # no times: not measurable
    ]
    ins = compute(plans, TODAY)
    assert ins.figure("change_failure_rate").value == 100
    assert ins.figure("change_failure_rate").basis == 5
    assert ins.figure("change_failure_rate_90d").text == "100%"
    restore = ins.figure("time_to_restore")
    assert restore.basis == 4 and restore.value == 25 * 60  # median of 10, 20, 30, 60 min
    assert restore.text == "25m"
    assert len(ins.restores) == 5


def test_plans_without_outcomes() -> None:
    plans = [
        facts(date="2026-11-10", status="scheduled"),  # not executed
        facts(date="2026-11-11", status="cancelled"),  # not executed
        facts(date="2026-11-12", status="completed"),  # executed, went well
        facts(date="2026-11-13", status="rolled-back"),  # executed, failed
        facts(date="2026-11-14", status="draft"),
    ]
    assert [p.executed for p in plans] == [False, False, True, True, False]
    assert [p.category for p in plans] == [
        "not-run",
        "not-run",
        "success",
        "rolled-back",
        "not-run",
    ]
    ins = compute(plans, TODAY)
    assert ins.figure("deployments_90d").value == 2
    assert ins.figure("change_failure_rate").basis == 2
    assert ins.figure("actual_duration").basis == 0
    assert ins.outcome_counts()["not-run"] == 3


def test_time_zones() -> None:
    # 23:30 at +01:00 is 22:30 UTC: 15 minutes before 22:45 UTC.
    zoned = facts(
        outcome={
            "result": "success",
            "started": "2026-11-20T23:30:00+01:00",
            "finished": "2026-11-20T22:45:00Z",
        }
    )
    assert zoned.actual == 15 * 60
    # A time without offset takes the other end's zone.
    naive = facts(
        outcome={
            "result": "success",
            "started": "2026-11-20T22:00:00",
            "finished": "2026-11-20T23:00:00+02:00",
        }
    )
    assert naive.actual == 3600
    # An end before the start is not a duration.
    backwards = facts(
        outcome={
            "result": "success",
            "started": "2026-11-20T23:00:00+01:00",
            "finished": "2026-11-20T22:00:00+01:00",
        }
    )
    assert backwards.actual is None


@pytest.mark.parametrize(
    ("start", "notes", "minutes"),
    [
        ("2026-11-20T22:00:00+01:00", "Error spike at 22:20; service restored at 22:47.", 47),
        ("2026-11-20T22:00:00+01:00", "Restored 2026-11-21T00:10:00+01:00 after paging.", 130),
        ("2026-11-20T23:30:00+01:00", "Rolled back, healthy again at 00:15.", 45),
        # An ISO time before the start is no restore time.
        ("2026-11-20T22:00:00+01:00", "Restored 2026-11-20T21:00:00+01:00.", None),
    ],
)
def test_time_to_restore_from_notes(start: str, notes: str, minutes: int | None) -> None:
    one = failed("2026-11-20", start, None, notes)
    assert one.restore == (None if minutes is None else minutes * 60)


def test_restore_starts_at_the_window_without_started() -> None:
    one = facts(
        status="rolled-back",
        window_start="2026-11-20T22:00:00+01:00",
        outcome={"result": "rolled-back", "finished": "2026-11-20T22:40:00+01:00"},
    )
    assert one.restore == 40 * 60


def test_ninety_days_are_counted_back_from_today() -> None:
    ok = {"result": "success"}
    bad = {"result": "aborted"}
    day = lambda n: (TODAY - dt.timedelta(days=n)).isoformat()  # noqa: E731
    plans = [
        facts(date=day(0), outcome=bad),  # in
        facts(date=day(89), outcome=bad),  # in
        facts(date=day(10), outcome=ok),
        facts(date=day(20), outcome=ok),
        facts(date=day(30), outcome=ok),
        facts(date=day(90), outcome=bad),  # out: the window is the 90 days up to today
        facts(date=day(-1), status="scheduled"),  # future
    ]
    ins = compute(plans, TODAY)
    recent = ins.figure("change_failure_rate_90d")
    assert (recent.basis, recent.value) == (5, 40)
    assert ins.figure("change_failure_rate").value == 50  # 3 of 6
    assert ins.figure("deployments_90d").value == 5


def test_months_fill_gaps_and_roll_the_rate() -> None:
    ok, bad = {"result": "success"}, {"result": "rolled-back"}
    plans = [
        facts(date="2026-01-05", outcome=ok),
        facts(date="2026-01-06", outcome=bad),
        facts(date="2026-01-07", outcome=ok),
        facts(date="2026-01-08", outcome=ok),
        facts(date="2026-03-10", outcome=ok),
    ]
    ins = compute(plans, TODAY)
    months = {m.month: m for m in ins.months}
    assert list(months) == ["2026-01", "2026-02", "2026-03"]
    assert (months["2026-01"].executed, months["2026-01"].failed) == (4, 1)
    assert months["2026-02"].plans == 0
    # 90 days up to 2026-03-31 reach back to 2026-01-01: all five, one failed.
    assert (months["2026-03"].rate_basis, months["2026-03"].rate) == (5, 20)
    assert months["2026-01"].rate is None  # 4 < MIN_RATE


def test_planned_duration_from_window_or_phases() -> None:
    data = yaml.safe_load(spec_text("example"))
    assert planned_seconds(Plan.model_validate(data)) == 150 * 60
    del data["window"]
    # database-migration and application-deployment phases have no durations at all.
    assert planned_seconds(Plan.model_validate(data)) is None
    for phase in data["phases"]:
        phase.setdefault("duration", "10m")
    # 30m + 10m + 10m + 10m + 30m (the example's own pre-deployment and monitoring).
    assert planned_seconds(Plan.model_validate(data)) == 90 * 60
    data["phases"][1].pop("duration")
    data["phases"][1]["steps"][0]["duration"] = "4m"
    assert planned_seconds(Plan.model_validate(data)) == 84 * 60


def test_duration_ratio_and_over_plan() -> None:
    def run(minutes: int) -> PlanFacts:
        start = dt.datetime(2026, 11, 20, 22, 0, tzinfo=dt.timezone.utc)
        end = start + dt.timedelta(minutes=minutes)
        outcome = {"result": "success", "started": start.isoformat(), "finished": end.isoformat()}
        return facts(window_duration="1h", outcome=outcome)

    ins = compute([run(30), run(60), run(90), run(120)], TODAY)
    assert ins.figure("duration_ratio").value == 1.25  # median of 0.5, 1, 1.5, 2
    assert ins.figure("duration_ratio").text == "1.25\u00d7"
    assert ins.figure("over_plan").value == 50 and ins.figure("over_plan").detail == "2 of 4"
    assert ins.figure("actual_duration").value == 75 * 60


def test_outcomes_by_pattern() -> None:
    plans = [facts(pattern="canary", outcome={"result": "success"}) for _ in range(4)]
    plans.append(facts(pattern="canary", outcome={"result": "aborted"}))
    plans.append(facts(pattern="rolling", outcome={"result": "rolled-back"}))
    rows = {r.pattern: r for r in compute(plans, TODAY).patterns}
    assert rows["canary"].counts["success"] == 4 and rows["canary"].counts["aborted"] == 1
    assert rows["canary"].rate == 20
    assert rows["rolling"].rate is None  # 1 executed plan < MIN_RATE


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0, "0s"), (59, "59s"), (60, "1m"), (5940, "1h 39m"), (7200, "2h"), (3 * 86400, "3d")],
)
def test_format_seconds(seconds: int, text: str) -> None:
    assert format_seconds(seconds) == text
