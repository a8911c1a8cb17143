"""A rebuild under `mkdocs serve --dirty` after editing one plan of N (default 800).

    python benchmarks/rebuild.py [N]

Builds the portal once the way `mkdocs serve --dirty` does (one persistent plugin, dirty
builds), edits one step title of one plan, rebuilds, and prints how many HTML pages were
written again and the rebuild time relative to the first full build.
"""

from __future__ import annotations

import logging
import sys
import tempfile
import time
from pathlib import Path

import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config

sys.path.insert(0, str(Path(__file__).parent))
from overhead import make_plans


def main() -> None:
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 800
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        make_plans(root, n)
        (root / "docs").mkdir()
        (root / "docs/index.md").write_text("# Portal\n")
        config = {"site_name": "Bench", "theme": {"name": "material"}}
        config["plugins"] = ["search", "runbooks"]
        (root / "mkdocs.yml").write_text(yaml.safe_dump(config))
        cfg = load_config(str(root / "mkdocs.yml"), site_dir=str(root / "site"))
        cfg.plugins.on_startup(command="serve", dirty=True)
        start = time.perf_counter()
        build(cfg, dirty=True)
        full = time.perf_counter() - start
        pages = sorted((root / "site").rglob("*.html"))
        before = {p: p.stat().st_mtime_ns for p in pages}
        plan = sorted((root / "plans").rglob("deployment-plan.yaml"))[n // 2]
        plan.write_text(plan.read_text().replace("Back up the payments", "Back up all payments"))
        start = time.perf_counter()
        build(cfg, dirty=True)
        again = time.perf_counter() - start
        written = [p for p in pages if p.stat().st_mtime_ns != before[p]]
        print(f"N={n}: full dirty build {full:.2f} s, rebuild after one edit {again:.2f} s")
        ratio = again / full
        print(f"rebuild/full: {ratio:.2f}x; pages written again: {len(written)} of {len(pages)}")
        for path in written[:10]:
            print("  ", path.relative_to(root / "site").as_posix())


if __name__ == "__main__":
    main()
