"""The insights' SVG charts: well-formed, accessible, escaped, small."""

from __future__ import annotations

import datetime as dt
import random
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from mkdocs_runbooks.insights.charts import Charts
from mkdocs_runbooks.insights.figures import OUTCOME_KEYS, PlanFacts, compute

NS = {"svg": "http://www.w3.org/2000/svg"}
SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = Path(__file__).parent / "hostile"
TODAY = dt.date(2026, 12, 1)


def hostile_strings() -> list[str]:
    """Releases and titles of the hostile corpus, and a few more nasty ones."""
    out = ["]]><script>alert(1)</script>", "a&b<c>\"d'", "</title><g onload='x'>"]
    for path in sorted(HOSTILE.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        out += [str(data["release"]), str(data.get("title", ""))]
    return out


def history(n: int, releases: list[str] | None = None, seed: int = 3) -> list[PlanFacts]:
    rng = random.Random(seed)
    plans = []
    for i in range(n):
        result = rng.choice(["success", "success", "success-with-issues", "rolled-back", None])
        planned = rng.choice([3600, 5400, 9000])
        release = releases[i % len(releases)] if releases else f"{i // 50}.{i % 50}.{i}"
        plans.append(
            PlanFacts(
                service="checkout-api",
                release=release,
                title=f"Checkout {release}",
                date=dt.date(2022, 1, 1) + dt.timedelta(days=i * 3),
                status="completed" if result else "scheduled",
                pattern="blue-green",
                result=result,
                planned=planned,
                actual=int(planned * rng.uniform(0.5, 1.5)) if result else None,
                restore=1800 if result == "rolled-back" else None,
                findings=rng.randint(0, 3),
            )
        )
    return plans


def charts(plans: list[PlanFacts]) -> dict[str, str]:
    ins = compute(plans, TODAY)
    draw = Charts()
    made = [
        draw.timeline(ins.plans, "t", "Release timeline"),
        draw.monthly(ins.months, "m", "Deployments per month"),
        draw.failure_rate(ins.months, "f", "Change failure rate"),
        draw.durations(ins.durations, "d", "Planned and actual duration"),
        draw.findings(ins.months, "x", "Findings per plan"),
    ]
    out = {}
    for chart in made:
        assert chart.svg.startswith("<svg") and "<style>" not in chart.svg
        out[chart.kind] = chart.standalone
    return out


@pytest.mark.parametrize("n", [0, 1, 40])
def test_every_chart_is_accessible_svg(n: int) -> None:
    for kind, text in charts(history(n)).items():
        root = ET.fromstring(text)
        assert root.tag == SVG + "svg", kind
        assert root.get("role") == "img"
        assert root.get("viewBox", "").startswith("0 0 ")
        title, desc = root.find("svg:title", NS), root.find("svg:desc", NS)
        assert title is not None and title.text and desc is not None and desc.text
        assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
        assert root.find("svg:style", NS) is not None  # standalone file: its own colours
        assert "<script" not in text and "href" not in text


def test_timeline_has_one_dot_per_plan_in_its_outcome_lane() -> None:
    plans = history(60)
    root = ET.fromstring(charts(plans)["timeline"])
    lanes = {g.get("class"): g for g in root.iter(SVG + "g")}
    assert set(lanes) == {f"rb-c-{k}" for k in OUTCOME_KEYS}
    for key in OUTCOME_KEYS:
        dots = lanes[f"rb-c-{key}"].findall("svg:circle", NS)
        assert len(dots) == sum(1 for p in plans if p.category == key), key


def test_monthly_bars_add_up_to_the_deployments() -> None:
    plans = history(60)
    root = ET.fromstring(charts(plans)["monthly"])
    executed = sum(1 for p in plans if p.executed)
    failed = sum(1 for p in plans if p.failed)
    desc = root.find("svg:desc", NS)
    assert desc is not None and desc.text
    assert desc.text.startswith(f"{executed} deployments in ") and desc.text.endswith(
        f", {failed} failed"
    )
    # Bars are as tall as their counts: the stacked heights of all months add up.
    bars = [r for r in root.iter(SVG + "rect") if r.get("class") in ("rb-c-ok", "rb-c-failed")]
    legend = 2
    heights = [float(r.get("height", 0)) for r in bars[:-legend]]
    ticks = sorted(float(t.text or 0) for t in root.iter(SVG + "text") if (t.text or "").isdigit())
    top = ticks[-1]
    assert round(sum(heights) * top / (170 - 28)) == executed


@pytest.mark.parametrize("text", hostile_strings())
def test_plan_strings_are_text_in_the_svg(text: str) -> None:
    plans = history(12, releases=[text])
    for kind, svg in charts(plans).items():
        root = ET.fromstring(svg)  # raises if a string broke out of its element
        scripts = [e for e in root.iter() if e.tag.endswith("script")]
        assert not scripts, kind
        assert all(not a.startswith("on") for e in root.iter() for a in e.attrib), kind
        titles = [t.text or "" for t in root.iter(SVG + "title")]
        labels = [t.text or "" for t in root.iter(SVG + "text")]
        if kind == "timeline" and text:
            assert any(t.startswith(text) for t in titles), kind
        if kind == "durations" and text:
            shown = text if len(text) <= 16 else text[:15] + "\u2026"
            assert shown in labels, kind


def test_a_service_with_500_plans_stays_under_100_kb_of_svg() -> None:
    plans = history(500)
    sizes = {k: len(v.encode()) for k, v in charts(plans).items()}
    service = sum(v for k, v in sizes.items() if k != "findings")  # a service page's charts
    assert service < 100_000, sizes
