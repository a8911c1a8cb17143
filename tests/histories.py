"""Plan histories for the insights' tests, benchmark and screenshots: the contract's example
plan with another service, release, date, window, status and outcome."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from sitebuild import spec_text

_EXAMPLE = spec_text("example")
_HEAD, _OUTCOME = _EXAMPLE.split("\noutcome:", 1)


def plan_text(
    service: str = "checkout-api",
    release: str = "2.10",
    date: str = "2026-11-20",
    status: str = "completed",
    outcome: dict[str, str] | None = None,
    window_start: str | None = "2026-11-20T22:00:00+01:00",
    window_duration: str | None = "2h30m",
    pattern: str = "blue-green",
) -> str:
    """The example plan with these values; ``outcome`` None: no outcome block."""
    text = _HEAD.replace("service: checkout-api", f"service: {service}")
    text = text.replace('release: "2.10"', f"release: {_q(release)}")
    text = text.replace("date: 2026-11-20", f"date: {date}")
    text = text.replace("status: completed", f"status: {status}")
    text = text.replace("pattern: blue-green", f"pattern: {pattern}")
    window = ""
    if window_start or window_duration:
        window = "window:\n"
        if window_start:
            window += f"  start: {_q(window_start)}\n"
        if window_duration:
            window += f"  duration: {window_duration}\n"
    text = text.replace(
        'window:                           # optional\n  start: "2026-11-20T22:00:00+01:00"\n'
        "  duration: 2h30m                 # durations: 90s, 45m, 2h30m, 1d\n",
        window,
    )
    if outcome:
        text += "\noutcome:\n" + "".join(f"  {k}: {_q(v)}\n" for k, v in outcome.items())
    return text


def _q(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def random_history(
    n: int, services: int = 4, seed: int = 7, end: dt.date = dt.date(2026, 11, 20)
) -> dict[str, str]:
    """``n`` plans over ``services`` services, one every few days up to ``end``, with mixed
    outcomes and durations; the last few are still to come."""
    rng = random.Random(seed)
    names = ["checkout-api", "search", "payments", "identity", "catalog", "orders"]
    plans: dict[str, str] = {}
    patterns = ["blue-green", "canary", "rolling", "feature-flags", "recreate"]
    for i in range(n):
        service = names[i % services] if services <= len(names) else f"service-{i % services}"
        day = end - dt.timedelta(days=(n - i) * 700 // n - 6 * (i >= n - 3))
        start = dt.datetime.combine(day, dt.time(21, 0), dt.timezone(dt.timedelta(hours=1)))
        future = i >= n - 3
        result = rng.choices(
            ["success", "success-with-issues", "rolled-back", "aborted"], [75, 12, 10, 3]
        )[0]
        planned = rng.choice([90, 120, 150])
        actual = int(planned * rng.uniform(0.55, 1.35))
        outcome = None
        status = "scheduled" if future else "completed"
        if not future:
            began = start + dt.timedelta(minutes=rng.randint(0, 10))
            outcome = {
                "result": result,
                "started": began.isoformat(),
                "finished": (began + dt.timedelta(minutes=actual)).isoformat(),
            }
            if result == "rolled-back":
                status = "rolled-back"
        plans[f"{service}/{day.isoformat()}-{i}"] = plan_text(
            service=service,
            release=f"{2 + i // 40}.{i % 40}",
            date=day.isoformat(),
            status=status,
            outcome=outcome,
            window_start=start.isoformat(),
            window_duration=f"{planned // 60}h{planned % 60}m",
            pattern=patterns[(i * 7) % len(patterns)] if i % 3 else "blue-green",
        )
    return plans


def write_plans(root: Path, plans: dict[str, str]) -> None:
    for folder, text in plans.items():
        path = root / "plans" / folder / "deployment-plan.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
