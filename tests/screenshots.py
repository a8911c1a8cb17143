"""Screenshots of a runbook page for the docs and the README, made from the example portal.

Builds the repository's own site (mkdocs.yml, plans/) into a temporary folder, serves it on
127.0.0.1 and saves the first screen of a plan page on a desktop (1440x900) and a phone
(390x844) into docs/img/. Run it after changing the page's look, and commit the images:

    .venv/bin/python tests/screenshots.py

It drives Debian's chromium through Playwright, as the browser tests do (tests/browser.py).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config

sys.path.insert(0, str(Path(__file__).resolve().parent))

from browser import CHROMIUM, CHROMIUM_ARGS, serve_folder

ROOT = Path(__file__).resolve().parents[1]
PLAN = "plans/checkout-api/2026-12-08-2.11/"
SHOTS = {
    # name: (width, height, device scale)
    "plan-desktop.png": (1440, 900, 1),
    "plan-phone.png": (390, 844, 2),
}


def build_portal(site_dir: Path) -> None:
    """The repository's site, built as `mkdocs build` would, into ``site_dir``."""
    config = load_config(str(ROOT / "mkdocs.yml"), site_dir=str(site_dir))
    build(config)


def shoot(site_dir: Path, out: Path, plan: str = PLAN, scheme: str = "default") -> list[Path]:
    """Save the first screen of ``plan`` at each size in SHOTS; returns the files."""
    from playwright.sync_api import sync_playwright

    written: list[Path] = []
    out.mkdir(parents=True, exist_ok=True)
    with serve_folder(site_dir) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            for name, (width, height, scale) in SHOTS.items():
                context = browser.new_context(
                    viewport={"width": width, "height": height},
                    device_scale_factor=scale,
                    locale="en-GB",
                    color_scheme="dark" if scheme == "slate" else "light",
                )
                # No network: web fonts and other outside requests get an empty answer.
                context.route(
                    lambda url: not url.startswith(base),
                    lambda route: route.fulfill(status=204, body=""),
                )
                page = context.new_page()
                page.goto(base + plan)
                page.wait_for_selector(".rb-progress-all:not([hidden])")
                path = out / name
                page.screenshot(path=str(path))
                written.append(path)
                context.close()
        finally:
            browser.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "img")
    parser.add_argument("--plan", default=PLAN, help="page address below the site root")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        build_portal(site)
        for path in shoot(site, args.out, args.plan):
            print(
                f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}: "
                f"{path.stat().st_size // 1024} KB"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
