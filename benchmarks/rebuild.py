"""A rebuild under `mkdocs serve --dirty` after editing one plan of N (default 800).

    python benchmarks/rebuild.py [N] [--portal] [--edits 3] [--profile FILE]

Builds the portal once the way `mkdocs serve --dirty` does (one persistent plugin, dirty
builds), edits one step title of one plan, rebuilds, and prints how many HTML pages were
written again and the rebuild time relative to the first full build, with where the
rebuild's time went (the plugin's `on_files`, MkDocs reading and writing pages, the rest)
and its CPU time (on a shared machine the wall time also measures the other jobs).

`--portal` builds the portal of benchmarks/search.py instead (benchmarks/portal_gen.py:
200 services, Material, Pagefind for plan pages): there Pagefind runs in the background
after each build, as under `mkdocs serve`, and the time until its index has the edit is
printed too. `--edits K` edits K plans one after the other (one rebuild each) and prints
each. `--profile FILE` writes a cProfile of the last rebuild.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import logging
import sys
import tempfile
import time
from pathlib import Path

import yaml
from mkdocs.commands import build as build_mod
from mkdocs.config import load_config
from mkdocs.livereload import LiveReloadServer

sys.path.insert(0, str(Path(__file__).parent))
from overhead import make_plans
from portal_gen import make_portal

from mkdocs_runbooks.mkdocs_plugin import RunbooksPlugin

PHASES = ("on_files", "read_pages", "write_pages")
spent = dict.fromkeys(PHASES, 0.0)
collector = {"gc": 0.0, "full": 0.0, "start": 0.0}


def count_gc(phase: str, info: dict[str, int]) -> None:
    """Time spent in the garbage collector (all of it, and in full collections)."""
    if phase == "start":
        collector["start"] = time.perf_counter()
        return
    took = time.perf_counter() - collector["start"]
    collector["gc"] += took
    if info["generation"] == 2:
        collector["full"] += took


def timed(owner: object, name: str, key: str) -> None:
    original = getattr(owner, name)

    def wrapper(*args: object, **kwargs: object) -> object:
        start = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            spent[key] += time.perf_counter() - start

    setattr(owner, name, wrapper)


def write_site(root: Path, n: int, portal: bool) -> tuple[list[Path], str, str]:
    """The site, the plans to edit, and the text replaced in each (old, new)."""
    config: dict[str, object] = {"site_name": "Bench", "theme": {"name": "material"}}
    config["plugins"] = ["search", "runbooks"]
    if portal:
        make_portal(root, n)
        config["theme"] = {"name": "material", "font": False}
        old = "signing key"
    else:
        make_plans(root, n)
        old = "Back up the payments"
    (root / "docs").mkdir()
    (root / "docs/index.md").write_text("# Portal\n")
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config))
    plans = sorted((root / "plans").rglob("deployment-plan.yaml"))
    return plans, old, old.replace("the", "all") if not portal else "signing key quokka"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("n", nargs="?", type=int, default=800)
    parser.add_argument("--portal", action="store_true")
    parser.add_argument("--edits", type=int, default=1)
    parser.add_argument("--profile", help="write a cProfile of the last rebuild to this file")
    args = parser.parse_args()
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    timed(RunbooksPlugin, "on_files", "on_files")
    timed(build_mod, "_populate_page", "read_pages")
    timed(build_mod, "_build_page", "write_pages")
    n = args.n
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        plans, old, new = write_site(root, n, args.portal)
        cfg = load_config(str(root / "mkdocs.yml"), site_dir=str(root / "site"))
        cfg.plugins.on_startup(command="serve", dirty=True)
        plugin = cfg.plugins["runbooks"]
        assert isinstance(plugin, RunbooksPlugin)
        start = time.perf_counter()
        build_mod.build(cfg, dirty=True)
        full = time.perf_counter() - start
        plugin.indexer.wait()
        print(f"N={n}: full dirty build {full:.2f} s")
        # As `mkdocs serve` does once the first build is done.
        server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=tmp)
        cfg.plugins.on_serve(server, config=cfg, builder=lambda: None)
        gc.callbacks.append(count_gc)
        for k in range(args.edits):
            pages = sorted((root / "site").rglob("*.html"))
            before = {p: p.stat().st_mtime_ns for p in pages}
            plan = plans[(n // 2 + k * 997) % n]
            plan.write_text(plan.read_text().replace(old, new, 1))
            for key in PHASES:
                spent[key] = 0.0
            collector["gc"] = collector["full"] = 0.0
            profile = cProfile.Profile() if args.profile and k == args.edits - 1 else None
            # As `mkdocs serve` does for each rebuild: the config is loaded again, the
            # plugin instance is kept (on_startup).
            start, cpu = time.perf_counter(), time.process_time()
            if profile:
                profile.enable()
            cfg = load_config(str(root / "mkdocs.yml"), site_dir=str(root / "site"))
            build_mod.build(cfg, dirty=True)
            again, cpu = time.perf_counter() - start, time.process_time() - cpu
            if profile:
                profile.disable()
                profile.dump_stats(args.profile)
            plugin.indexer.wait()
            indexed = time.perf_counter() - start
            written = [p for p in pages if p.stat().st_mtime_ns != before[p]]
            phases = ", ".join(f"{key} {spent[key]:.2f} s" for key in PHASES)
            print(
                f"edit {k + 1}: rebuild {again:.2f} s, CPU {cpu:.2f} s ({phases});"
                f" garbage collector {collector['gc']:.2f} s ({collector['full']:.2f} s in full"
                " collections);"
                f" rebuild/full {again / full:.2f}x;"
                f" pages written again: {len(written)} of {len(pages)}"
                + (f"; Pagefind index done {indexed:.1f} s after the edit" if args.portal else "")
            )
            for path in written[:10]:
                print("  ", path.relative_to(root / "site").as_posix())


if __name__ == "__main__":
    main()
