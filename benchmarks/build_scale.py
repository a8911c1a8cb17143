"""Per-plan build cost as the portal grows: N1 and N2 plans built side by side, by phase.

    python benchmarks/build_scale.py [N1 N2] [--search pagefind|material] [--repeat 1]
                                     [--profile DIR] [--keep DIR]

Generates each portal (benchmarks/portal_gen.py: copies of the contract's complete example
over 200 services, 2020-2026; Material, `plugins: [search, runbooks]`, the same site as
benchmarks/search.py) and builds it in a fresh process, the sizes alternating when
`--repeat` is above 1 (best run kept). For each build it prints wall and CPU time per plan
and where they went: the plugin's `on_files` (load, lint, render every page), MkDocs'
reading and rendering of the pages (Python-Markdown, `on_page_*`), the writing of the pages
(theme templates), `on_post_build` (Material's search index, Pagefind), the rest
(config, nav, static files), and Python's garbage collector (time inside collections, all
phases). Phases are CPU time of the build process (this machine is shared: wall time
measures the neighbours as much as the build); Pagefind's process counts in "CPU with
Pagefind" and in wall time. With two sizes it prints the growth of the per-plan cost
(target <= 1.15x from 1,000 to 10,000 plans, issue 21). `--profile DIR` writes a cProfile
of each build there (`DIR/N.prof`; it slows the build about 2x: its times are not comparable
with others).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).parent))
from portal_gen import make_portal

BUILD = r"""
import cProfile, gc, json, logging, resource, sys, time
from mkdocs.commands import build as build_mod
from mkdocs.config import load_config
from mkdocs_runbooks.mkdocs_plugin import RunbooksPlugin
logging.getLogger("mkdocs").setLevel(logging.ERROR)
# CPU time of the process (time.process_time): on this shared machine wall time measures
# the neighbours as much as the build.
clock = time.process_time
spent = {"on_files": 0.0, "read_pages": 0.0, "write_pages": 0.0, "post_build": 0.0, "gc": 0.0}
gc_started = [0.0]
def on_gc(phase, info):
    if phase == "start":
        gc_started[0] = clock()
    else:
        spent["gc"] += clock() - gc_started[0]
gc.callbacks.append(on_gc)
def timed(owner, name, key):
    original = getattr(owner, name)
    def wrapper(*args, **kwargs):
        start = clock()
        try:
            return original(*args, **kwargs)
        finally:
            spent[key] += clock() - start
    setattr(owner, name, wrapper)
timed(RunbooksPlugin, "on_files", "on_files")
timed(build_mod, "_populate_page", "read_pages")
timed(build_mod, "_build_page", "write_pages")
from mkdocs.plugins import PluginCollection
original_run = PluginCollection.run_event
def run_event(self, name, *args, **kwargs):
    if name != "post_build":
        return original_run(self, name, *args, **kwargs)
    start = clock()
    try:
        return original_run(self, name, *args, **kwargs)
    finally:
        spent["post_build"] += clock() - start
PluginCollection.run_event = run_event
if sys.argv[4]:
    from mkdocs_runbooks import search
    search.index_site = lambda *args, **kwargs: None
cfg = load_config(sys.argv[1], site_dir=sys.argv[2])
profile = cProfile.Profile() if sys.argv[3] else None
start, cpu = time.perf_counter(), time.process_time()
if profile:
    profile.enable()
build_mod.build(cfg)
if profile:
    profile.disable()
    profile.dump_stats(sys.argv[3])
elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
children = resource.getrusage(resource.RUSAGE_CHILDREN)
child_cpu = children.ru_utime + children.ru_stime
print(json.dumps({"seconds": elapsed, "cpu": cpu, "cpu_all": cpu + child_cpu, "rss_mb": rss,
                  **spent}))
"""

PHASES = ("on_files", "read_pages", "write_pages", "post_build", "rest", "gc")


def write_site(root: Path, n: int, engine: str) -> None:
    make_portal(root, n)
    (root / "docs").mkdir(exist_ok=True)
    (root / "docs/index.md").write_text("# Portal\n\nRunbooks of every service.\n")
    (root / "docs/guide.md").write_text("# Operations guide\n\nThe on-call rota.\n")
    config = {
        "site_name": "Bench",
        "theme": {"name": "material", "font": False},
        "plugins": ["search", {"runbooks": {"search": engine}}],
    }
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False))


def build(root: Path, profile: Path | None, skip_pagefind: bool) -> dict[str, float]:
    site = root / "site"
    shutil.rmtree(site, ignore_errors=True)
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            BUILD,
            str(root / "mkdocs.yml"),
            str(site),
            str(profile or ""),
            "1" if skip_pagefind else "",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    timed = sum(result[k] for k in ("on_files", "read_pages", "write_pages", "post_build"))
    result["rest"] = result["cpu"] - timed
    return result


def report(n: int, f: dict[str, float]) -> None:
    phases = ", ".join(f"{k} {1000 * f[k] / n:.2f}" for k in PHASES)
    print(
        f"N={n}: {f['seconds']:.1f} s wall = {1000 * f['seconds'] / n:.2f} ms/plan, "
        f"CPU {1000 * f['cpu'] / n:.2f} ms/plan (with Pagefind's "
        f"{1000 * f['cpu_all'] / n:.2f}), peak RSS {f['rss_mb']:.0f} MB\n"
        f"  CPU ms/plan by phase: {phases}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 10000])
    parser.add_argument("--search", choices=("pagefind", "material"), default="pagefind")
    parser.add_argument(
        "--no-pagefind",
        action="store_true",
        help="pages marked for Pagefind (plans out of Material's index), Pagefind not run",
    )
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--profile", help="write a cProfile of each build to this folder")
    parser.add_argument("--keep", help="generate the portals below this folder and keep them")
    args = parser.parse_args()
    base = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="rbscale"))
    roots = {}
    for n in args.sizes:
        root = roots[n] = base / f"n{n}"
        if not (root / "mkdocs.yml").exists():
            write_site(root, n, args.search)
    best: dict[int, dict[str, float]] = {}
    try:
        for _ in range(args.repeat):
            for n in args.sizes:
                prof = Path(args.profile) / f"{n}.prof" if args.profile else None
                if prof:
                    prof.parent.mkdir(parents=True, exist_ok=True)
                result = build(roots[n], prof, args.no_pagefind)
                report(n, result)
                if n not in best or result["seconds"] < best[n]["seconds"]:
                    best[n] = result
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)
    if len(best) >= 2:
        (n1, a), (n2, b) = sorted(best.items())[0], sorted(best.items())[-1]
        for key in ("seconds", "cpu", "cpu_all"):
            small, large = 1000 * a[key] / n1, 1000 * b[key] / n2
            label = {"seconds": "wall", "cpu": "CPU", "cpu_all": "CPU with Pagefind"}[key]
            print(
                f"per-plan {label} {n1} -> {n2}: {small:.2f} -> {large:.2f} ms, "
                f"growth {large / small:.2f}x (target <= 1.15)"
            )
        for key in PHASES:
            print(
                f"  {key} (CPU): {1000 * a[key] / n1:.2f} -> {1000 * b[key] / n2:.2f} ms/plan "
                f"(+{1000 * (b[key] / n2 - a[key] / n1):.2f})"
            )


if __name__ == "__main__":
    main()
