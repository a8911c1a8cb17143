"""The plugin's cost on a large docs site with few plans: at most its own pages' cost.

    python benchmarks/site_cost.py [--pages 500] [--plans 8] [--repeat 3]

Generates a docs site of PAGES pages (nested sections, headings, lists, tables, code
blocks, Material theme, no `nav:`) and PLANS plans (copies of the contract's complete
example, 4 services). Builds, each in a fresh process, best of REPEAT:

(a) the site alone;
(b) the site with `runbooks` and the plans;
(c) the site alone plus the plugin's pages pre-rendered by `mkdocs-runbooks export`
    into docs/ (the same pages as Markdown files, built without the plugin).

Prints the plugin's added time (b - a), the pre-rendered pages' added time (c - a), their
ratio (target <= 1.10: the plugin adds at most what its own pages cost as ordinary pages),
and the cost per page of the site's own pages and of the plugin's. Times are the build's
CPU time (user + system of the build process): on a shared machine wall time mostly
measures the neighbours.
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
import json, logging, sys, time
from mkdocs.commands.build import build
from mkdocs.config import load_config
logging.getLogger("mkdocs").setLevel(logging.ERROR)
cfg = load_config(sys.argv[1], site_dir=sys.argv[2])
start = time.process_time()
build(cfg)
print(json.dumps({"seconds": time.process_time() - start}))
"""

SECTIONS = ["guides", "reference", "tutorials", "operations", "architecture", "api", "faq"]


def page_text(i: int) -> str:
    rows = "\n".join(f"| opt{i}_{r} | `{r}` | Option {r} of page {i}. |" for r in range(8))
    parts = [f"# Page {i}\n", f"Intro of page {i}, with **bold**, *em* and a [link](#part-1).\n"]
    for part in range(1, 5):
        parts.append(f"## Part {part}\n\nA paragraph about part {part} of page {i}. " * 3)
        parts.append("- one item\n- two items\n  - nested item\n- three items\n")
        parts.append(f"```python\ndef f{part}(x):\n    return x * {part}\n```\n")
    parts.append(f"| Name | Default | Meaning |\n| --- | --- | --- |\n{rows}\n")
    return "\n".join(parts)


def make_docs(docs: Path, pages: int) -> None:
    (docs / "index.md").parent.mkdir(parents=True, exist_ok=True)
    (docs / "index.md").write_text("# Docs\n\nThe home page.\n", encoding="utf-8")
    for i in range(pages - 1):
        section = SECTIONS[i % len(SECTIONS)]
        path = docs / section / f"group-{i // 50}" / f"page-{i}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(page_text(i), encoding="utf-8")


def make_plans(root: Path, n: int) -> None:
    example = SPEC.read_text(encoding="utf-8")
    for i in range(n):
        service = f"service-{i % 4}"
        text = example.replace("service: checkout-api", f"service: {service}")
        text = text.replace('release: "2.10"', f'release: "{i}.0"')
        text = text.replace("date: 2026-11-20", f"date: 2026-11-{1 + i:02d}")
        folder = root / "plans" / service / f"2026-11-{1 + i:02d}-{i}"
        folder.mkdir(parents=True)
        (folder / "deployment-plan.yaml").write_text(text, encoding="utf-8")


def run(config: Path, site: Path) -> float:
    out = subprocess.run(
        [sys.executable, "-c", BUILD, str(config), str(site)],
        capture_output=True,
        text=True,
        check=True,
    )
    return float(json.loads(out.stdout.strip().splitlines()[-1])["seconds"])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=500)
    parser.add_argument("--plans", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    base = {
        "site_name": "Big docs",
        "theme": {"name": "material"},
        "markdown_extensions": ["attr_list", "md_in_html", "tables", "toc", "admonition"],
    }
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        sites = {name: root / name for name in ("alone", "plugin", "pre")}
        for site in sites.values():
            make_docs(site / "docs", args.pages)
        (sites["alone"] / "mkdocs.yml").write_text(yaml.safe_dump(dict(base, plugins=["search"])))
        make_plans(sites["plugin"], args.plans)
        (sites["plugin"] / "mkdocs.yml").write_text(
            yaml.safe_dump(dict(base, plugins=["search", "runbooks"]))
        )
        subprocess.run(
            [sys.executable, "-m", "mkdocs_runbooks.cli", "export", "-f",
             str(sites["plugin"] / "mkdocs.yml"), "-o", str(sites["pre"] / "docs" / "runbooks"),
             "--force"],
            check=True, capture_output=True,
        )  # fmt: skip
        generated = sum(1 for _ in (sites["pre"] / "docs" / "runbooks").rglob("*.md"))
        assets = "runbooks/assets/runbooks/"
        pre_cfg = dict(
            base,
            plugins=["search"],
            extra_css=[assets + "runbooks.css", assets + "print.css"],
            extra_javascript=[assets + "runbooks.js", assets + "portal.js"],
        )
        (sites["pre"] / "mkdocs.yml").write_text(yaml.safe_dump(pre_cfg))
        times: dict[str, list[float]] = {name: [] for name in sites}
        for _ in range(args.repeat):  # interleaved: the machine's load hits all three alike
            for name, site in sites.items():
                times[name].append(run(site / "mkdocs.yml", site / "site"))
    alone, plugin, pre = (min(times[n]) for n in ("alone", "plugin", "pre"))
    added, pre_added = plugin - alone, pre - alone
    print(
        f"{args.pages} site pages, {args.plans} plans -> {generated} generated pages; "
        f"CPU seconds, best of {args.repeat}, interleaved"
    )
    print(f"(a) site alone:             {alone:.2f} s ({1000 * alone / args.pages:.1f} ms/page)")
    print(f"(b) site + runbooks:        {plugin:.2f} s (+{added:.2f} s)")
    print(f"(c) site + exported pages:  {pre:.2f} s (+{pre_added:.2f} s)")
    print(
        f"plugin's cost per generated page {1000 * added / generated:.1f} ms, "
        f"as plain pages {1000 * pre_added / generated:.1f} ms; "
        f"(b)/(c) {plugin / pre:.3f}x (target <= 1.10)"
    )


if __name__ == "__main__":
    main()
