"""Build time of a portal with N generated plans; prints the per-plan cost growth.

    python benchmarks/build.py [N1 N2]     (default 100 800)

Both sizes are built in the same run, same machine, same theme (Material) and plugins
(search + runbooks). The ratio compares the cost of one plan at N2 with one at N1;
a ratio near 1.0 means the build is linear in the number of plans (target: <= 1.25).
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

SPEC = Path(__file__).resolve().parents[2] / "shared" / "spec" / "deployment-plan.example.yaml"
EXAMPLE = SPEC.read_text(encoding="utf-8")


def make_site(root: Path, n: int) -> None:
    (root / "docs").mkdir(parents=True)
    (root / "docs/index.md").write_text("# Portal\n")
    config = {
        "site_name": "Bench",
        "theme": {"name": "material"},
        "plugins": ["search", "runbooks"],
    }
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config))
    for i in range(n):
        service = f"service-{i % 20:02d}"
        day = f"20{20 + i // 365 % 10}-{1 + i % 12:02d}-{1 + i % 28:02d}"
        text = EXAMPLE.replace("service: checkout-api", f"service: {service}")
        text = text.replace('release: "2.10"', f'release: "{i}.0"')
        text = text.replace("date: 2026-11-20", f"date: {day}")
        folder = root / "plans" / service / f"{day}-{i}"
        folder.mkdir(parents=True)
        (folder / "deployment-plan.yaml").write_text(text)


def timed_build(n: int) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        make_site(root, n)
        config = load_config(str(root / "mkdocs.yml"), site_dir=str(root / "site"))
        start = time.perf_counter()
        build(config)
        return time.perf_counter() - start


def main() -> None:
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    small, large = (int(a) for a in sys.argv[1:3]) if len(sys.argv) > 2 else (100, 800)
    timed_build(10)  # warm imports and caches once
    t_small = timed_build(small)
    t_large = timed_build(large)
    per_small, per_large = t_small / small, t_large / large
    print(f"N={small}: {t_small:.2f} s ({1000 * per_small:.1f} ms per plan)")
    print(f"N={large}: {t_large:.2f} s ({1000 * per_large:.1f} ms per plan)")
    print(f"per-plan cost growth {large}/{small}: {per_large / per_small:.2f}x (target <= 1.25)")


if __name__ == "__main__":
    main()
