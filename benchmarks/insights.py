"""What the insights (figures, charts, feeds) add to a build, side by side with them off.

    python benchmarks/insights.py [N] [--repeat 3]

Generates N plans (default 800) over 20 services with mixed outcomes and windows (the
history the tests use), then builds the same site with `insights: true, feeds: true` (the
defaults) and with both off, alternating, each build in a fresh process. Prints the time
ratio on/off in wall time and in CPU time (target <= 1.05; CPU time is the steadier on a
shared machine) and the largest service's chart bytes (target < 100 KB at 500
plans: see `--service-plans`). Best of `--repeat` runs: the machine is shared, so only the
ratio measured side by side means much.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from histories import random_history, write_plans  # noqa: E402

BUILD = r"""
import json, logging, sys, time
from mkdocs.commands.build import build
from mkdocs.config import load_config
logging.getLogger("mkdocs").setLevel(logging.ERROR)
cfg = load_config(sys.argv[1], site_dir=sys.argv[2])
start, cpu = time.perf_counter(), time.process_time()
build(cfg)
print(json.dumps({"seconds": time.perf_counter() - start, "cpu": time.process_time() - cpu}))
"""


def site(root: Path, plans: dict[str, str], on: bool) -> Path:
    write_plans(root, plans)
    (root / "docs").mkdir(parents=True, exist_ok=True)
    (root / "docs/index.md").write_text("# Portal\n")
    options = {"insights": on, "feeds": on}
    config = {
        "site_name": "Bench",
        "theme": {"name": "material"},
        "plugins": ["search", {"runbooks": options}],
    }
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config))
    return root / "mkdocs.yml"


def run(config: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", BUILD, str(config), str(config.parent / "site")],
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def chart_bytes(site_dir: Path) -> dict[str, int]:
    sizes: dict[str, int] = {}
    for path in (site_dir / "insights" / "charts").glob("service-*.svg"):
        service = path.stem.rsplit("-", 1)[0]
        for kind in ("timeline", "monthly", "failure-rate", "durations"):
            if path.stem.endswith(kind):
                service = path.stem[len("service-") : -len(kind) - 1]
        sizes[service] = sizes.get(service, 0) + path.stat().st_size
    return sizes


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("plans", nargs="?", type=int, default=800)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--services", type=int, default=20)
    args = parser.parse_args()
    plans = random_history(args.plans, services=args.services)
    with tempfile.TemporaryDirectory() as tmp:
        on = site(Path(tmp) / "on", plans, True)
        off = site(Path(tmp) / "off", plans, False)
        runs: dict[str, list[dict[str, float]]] = {"on": [], "off": []}
        for i in range(args.repeat):
            order = [("on", on), ("off", off)] if i % 2 == 0 else [("off", off), ("on", on)]
            for name, config in order:
                runs[name].append(run(config))
        times = {k: [r["seconds"] for r in v] for k, v in runs.items()}
        cpu = {k: [r["cpu"] for r in v] for k, v in runs.items()}
        best_on, best_off = min(times["on"]), min(times["off"])
        pairs = sorted(a / b for a, b in zip(times["on"], times["off"], strict=True))
        median = pairs[len(pairs) // 2]
        cpu_on, cpu_off = min(cpu["on"]), min(cpu["off"])
        sizes = chart_bytes(on.parent / "site")
        biggest = max(sizes.items(), key=lambda kv: kv[1]) if sizes else ("-", 0)
        files = sorted((on.parent / "site").rglob("*.svg"))
        print(
            f"N={args.plans} ({args.services} services): insights on {best_on:.2f} s, "
            f"off {best_off:.2f} s, ratio {best_on / best_off:.3f}x (target <= 1.05), "
            f"median of the {len(pairs)} pairs {median:.3f}x; "
            f"all runs on {[round(t, 2) for t in times['on']]}, "
            f"off {[round(t, 2) for t in times['off']]}"
        )
        print(
            f"CPU time (less disturbed by other processes): on {cpu_on:.2f} s, off "
            f"{cpu_off:.2f} s, ratio {cpu_on / cpu_off:.3f}x (target <= 1.05); all runs on "
            f"{[round(t, 2) for t in cpu['on']]}, off {[round(t, 2) for t in cpu['off']]}"
        )
        print(
            f"{len(files)} SVG files; largest service '{biggest[0]}': {biggest[1] / 1000:.1f} KB "
            f"of charts for {args.plans // args.services} plans (target < 100 KB at 500 plans)"
        )


if __name__ == "__main__":
    main()
