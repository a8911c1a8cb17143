"""The insights' own SVG templates against pygal, on the same data: size and time.

    pip install pygal   # only for this comparison; not a dependency
    python benchmarks/charts.py [PLANS] [--repeat 5]

Draws a service's release timeline (one point per plan, one series per outcome) and its
monthly deployments (stacked bars) for PLANS plans (default 500), with the plugin's
`Charts` and with pygal (`DateLine`/`StackedBar`, no JavaScript, no XML declaration), and
prints bytes and best-of-`--repeat` milliseconds for each.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import time
from collections.abc import Callable

from mkdocs_runbooks.insights.charts import Charts
from mkdocs_runbooks.insights.figures import OUTCOME_KEYS, PlanFacts, compute


def history(n: int) -> list[PlanFacts]:
    rng = random.Random(5)
    out = []
    for i in range(n):
        result = rng.choice(["success", "success", "success-with-issues", "rolled-back", None])
        out.append(
            PlanFacts(
                service="checkout-api",
                release=f"{i // 50}.{i % 50}.{i}",
                title=f"Checkout {i}",
                date=dt.date(2022, 1, 1) + dt.timedelta(days=i * 3),
                status="completed" if result else "scheduled",
                pattern="blue-green",
                result=result,
            )
        )
    return out


def best(fn: Callable[[], str], repeat: int) -> tuple[float, int]:
    times, size = [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        size = len(fn().encode())
        times.append(time.perf_counter() - start)
    return 1000 * min(times), size


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("plans", nargs="?", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    plans = history(args.plans)
    ins = compute(plans, dt.date(2026, 12, 1))
    draw = Charts()

    def ours_timeline() -> str:
        return draw.timeline(ins.plans, "t", "Release timeline").standalone

    def ours_monthly() -> str:
        return draw.monthly(ins.months, "m", "Deployments per month").standalone

    import pygal  # type: ignore[import-untyped]

    config = {"disable_xml_declaration": True, "js": [], "width": 600, "height": 200}

    def pygal_timeline() -> str:
        chart = pygal.DateLine(stroke=False, x_label_rotation=0, **config)
        chart.title = "Release timeline"
        for lane, key in enumerate(OUTCOME_KEYS):
            points = [
                {"value": (p.date, lane), "label": f"{p.release} · {p.date}"}
                for p in ins.plans
                if p.category == key
            ]
            chart.add(key, points)
        return str(chart.render(is_unicode=True))

    def pygal_monthly() -> str:
        chart = pygal.StackedBar(**config)
        chart.title = "Deployments per month"
        chart.x_labels = [m.month for m in ins.months]
        chart.add("went well", [m.executed - m.failed for m in ins.months])
        chart.add("failed", [m.failed for m in ins.months])
        return str(chart.render(is_unicode=True))

    for name, fn in (
        ("ours   timeline", ours_timeline),
        ("pygal  timeline", pygal_timeline),
        ("ours   monthly ", ours_monthly),
        ("pygal  monthly ", pygal_monthly),
    ):
        ms, size = best(fn, args.repeat)
        print(f"{name}: {size / 1000:7.1f} KB  {ms:7.1f} ms")


if __name__ == "__main__":
    main()
