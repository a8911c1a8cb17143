"""Plugin build against the same pages pre-rendered, at two portal sizes; growth; memory.

    python benchmarks/overhead.py [N1 N2] [--repeat 2]

For each size N (default 100 and 800) it generates N plans (20 services), then builds, each
in a fresh process so that peak memory is the build's own:

(a) the site with the plugin (`plugins: [search, runbooks]`);
(b) the same pages pre-rendered by `mkdocs-runbooks export` into docs/, built without the
    plugin: same theme (Material), same search plugin, same Markdown extensions, same nav
    (the index, one entry per service, the patterns).

It prints the time ratio (a)/(b) per size (target <= 1.10), the per-plan growth of (a) from
N1 to N2 (target <= 1.25), and the peak-RSS ratio (a)/(b) at N2 (target <= 1.2). Best of
`--repeat` runs; the machine is shared, so only ratios measured side by side mean much.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

SPEC = Path(__file__).resolve().parents[1] / "tests/fixtures/contract/deployment-plan.example.yaml"

BUILD = r"""
import json, logging, resource, sys, time
from mkdocs.commands.build import build
from mkdocs.config import load_config
logging.getLogger("mkdocs").setLevel(logging.ERROR)
cfg = load_config(sys.argv[1], site_dir=sys.argv[2])
start = time.perf_counter()
build(cfg)
elapsed = time.perf_counter() - start
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": elapsed, "rss_mb": rss}))
"""


def make_plans(root: Path, n: int) -> list[str]:
    example = SPEC.read_text(encoding="utf-8")
    services = sorted({f"service-{i % 20:02d}" for i in range(n)})
    for i in range(n):
        service = f"service-{i % 20:02d}"
        day = f"20{15 + i // 336}-{1 + i // 28 % 12:02d}-{1 + i % 28:02d}"
        text = example.replace("service: checkout-api", f"service: {service}")
        text = text.replace('release: "2.10"', f'release: "{i}.0"')
        text = text.replace("date: 2026-11-20", f"date: {day}")
        folder = root / "plans" / service / f"{day}-{i}"
        folder.mkdir(parents=True)
        (folder / "deployment-plan.yaml").write_text(text, encoding="utf-8")
    return services


def nav(services: list[str]) -> list[object]:
    patterns = ["blue-green", "canary", "feature-flags", "recreate", "rolling", "expand-contract"]
    return [
        "index.md",
        {
            "Plans": ["plans/index.md", "quality/index.md"]
            + [{s: f"plans/{s}/index.md"} for s in services]
        },
        {"Patterns": ["patterns/index.md"] + [f"patterns/{p}.md" for p in patterns]},
    ]


def run(config: Path, site: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", BUILD, str(config), str(site)],
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def best(config: Path, site: Path, repeat: int) -> dict[str, float]:
    runs = [run(config, site) for _ in range(repeat)]
    return {"seconds": min(r["seconds"] for r in runs), "rss_mb": min(r["rss_mb"] for r in runs)}


def measure(n: int, repeat: int) -> tuple[dict[str, float], dict[str, float]]:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        services = make_plans(root / "with", n)
        (root / "with/docs").mkdir()
        (root / "with/docs/index.md").write_text("# Portal\n")
        base = {
            "site_name": "Bench",
            "theme": {"name": "material"},
            "markdown_extensions": ["attr_list", "md_in_html", "tables", "toc"],
        }
        plugin_cfg = dict(base, plugins=["search", "runbooks"])
        (root / "with/mkdocs.yml").write_text(yaml.safe_dump(plugin_cfg))
        # The same pages, pre-rendered by the export, in a site without the plugin.
        (root / "pre/docs").mkdir(parents=True)
        (root / "pre/docs/index.md").write_text("# Portal\n")
        subprocess.run(
            [sys.executable, "-m", "mkdocs_runbooks.cli", "export", "-f",
             str(root / "with/mkdocs.yml"), "-o", str(root / "pre/docs"), "--force"],
            check=True, capture_output=True,
        )  # fmt: skip
        assets = "assets/runbooks/"
        pre_cfg = dict(
            base,
            plugins=["search"],
            nav=nav(services),
            extra_css=[assets + "runbooks.css", assets + "print.css"],
            extra_javascript=[assets + "runbooks.js", assets + "portal.js"],
        )
        (root / "pre/mkdocs.yml").write_text(yaml.safe_dump(pre_cfg))
        with_plugin = best(root / "with/mkdocs.yml", root / "with/site", repeat)
        pre = best(root / "pre/mkdocs.yml", root / "pre/site", repeat)
        return with_plugin, pre


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("sizes", nargs="*", type=int, default=[100, 800])
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    results = {n: measure(n, args.repeat) for n in args.sizes}
    for n, (plugin, pre) in results.items():
        print(
            f"N={n}: plugin {plugin['seconds']:.2f} s, pre-rendered {pre['seconds']:.2f} s, "
            f"ratio {plugin['seconds'] / pre['seconds']:.2f}x (target <= 1.10); "
            f"peak RSS {plugin['rss_mb']:.0f} MB vs {pre['rss_mb']:.0f} MB, "
            f"ratio {plugin['rss_mb'] / pre['rss_mb']:.2f}x (target <= 1.2)"
        )
    if len(args.sizes) >= 2:
        small, large = args.sizes[0], args.sizes[-1]
        per_small = results[small][0]["seconds"] / small
        per_large = results[large][0]["seconds"] / large
        growth = per_large / per_small
        print(
            f"per-plan cost {small} -> {large}: {1000 * per_small:.1f} ms -> "
            f"{1000 * per_large:.1f} ms, growth {growth:.2f}x (target <= 1.25)"
        )


if __name__ == "__main__":
    main()
