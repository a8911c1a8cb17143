"""Discovery in a folder of 10,000 files that are not plans, against a bare os.walk.

    python benchmarks/scan.py

Prints both times and the ratio (discovery also checks every name for a misnamed plan).
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from mkdocs_runbooks.load import discover


def best(func: object, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for i in range(100):
            folder = root / f"team-{i}"
            folder.mkdir()
            for j in range(100):
                (folder / f"notes-{j}.md").write_text("x")
        (root / "team-7" / "deployment-plan.yaml").write_text("x: 1")
        walk = best(lambda: sum(len(files) for _, _, files in os.walk(root)))
        scan = best(lambda: discover(root))
        found = discover(root)
        assert len(found.plans) == 1
        print(f"10,000 files: os.walk {1000 * walk:.1f} ms, discover {1000 * scan:.1f} ms")
        print(f"ratio discover/os.walk: {scan / walk:.2f}x")


if __name__ == "__main__":
    main()
