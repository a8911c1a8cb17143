"""Real MkDocs builds in a temporary folder, for tests: no mocks of MkDocs."""

from __future__ import annotations

import html
import logging
import re
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

ROOT = Path(__file__).resolve().parents[1]
# The project's own copies of the format contract's two sample plans (tests never read ../shared).
SPEC = ROOT / "tests" / "fixtures" / "contract"


def spec_text(name: str) -> str:
    """Text of a spec file: ``example`` or ``minimal``."""
    return (SPEC / f"deployment-plan.{name}.yaml").read_text(encoding="utf-8")


@dataclass
class Site:
    root: Path
    warnings: list[str] = field(default_factory=list)
    aborted: bool = False

    @property
    def site_dir(self) -> Path:
        return self.root / "site"

    def page(self, url: str) -> str:
        """HTML of the page at ``url`` (``plans/a/b/``)."""
        return (self.site_dir / url / "index.html").read_text(encoding="utf-8")

    def exists(self, url: str) -> bool:
        return (self.site_dir / url / "index.html").is_file()


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record.getMessage())


def make_site(
    root: Path,
    plans: dict[str, str] | None = None,
    *,
    config: dict[str, Any] | None = None,
    plugin: dict[str, Any] | None = None,
    docs: dict[str, str] | None = None,
    files: dict[str, str] | None = None,
) -> Path:
    """Write a site: ``plans`` maps a folder below plans/ to plan text."""
    cfg: dict[str, Any] = {
        "site_name": "Test portal",
        "site_url": "https://example.com/",
        "theme": {"name": "material"},
        "plugins": ["search", {"runbooks": plugin} if plugin else "runbooks"],
    }
    cfg.update(config or {})
    (root / "docs").mkdir(parents=True, exist_ok=True)
    (root / "mkdocs.yml").write_text(yaml.safe_dump(cfg, sort_keys=False), encoding="utf-8")
    for name, text in {"index.md": "# Home\n", **(docs or {})}.items():
        path = root / "docs" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for folder, text in (plans or {}).items():
        path = root / "plans" / folder
        if not path.name.startswith("deployment") or path.suffix not in (".yaml", ".yml"):
            path = path / "deployment-plan.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text) if text.startswith("\n") else text, encoding="utf-8")
    for name, text in (files or {}).items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def run_build(root: Path, *, strict: bool = False) -> Site:
    """``mkdocs build`` of the site at ``root`` (in-process), collecting warnings."""
    handler = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    site = Site(root)
    try:
        cfg = load_config(str(root / "mkdocs.yml"), strict=strict, site_dir=str(root / "site"))
        # As `mkdocs build` does: MkDocs keeps a plugin with on_startup across loads in one
        # process, so a test that served before must not leave it thinking it serves.
        cfg.plugins.on_startup(command="build", dirty=False)
        build(cfg)
    except Abort:
        site.aborted = True
    finally:
        logger.removeHandler(handler)
    site.warnings = handler.records
    return site


def build_site(
    root: Path, plans: dict[str, str] | None = None, *, strict: bool = False, **kw: Any
) -> Site:
    make_site(root, plans, **kw)
    return run_build(root, strict=strict)


# The plugin's command blocks in page order; the "If it goes wrong" card repeats the first
# rollback command (`rb-code-card`), which is not counted again.
_CODE_RE = re.compile(
    r'<div class="rb-code(?! rb-code-card)[^"]*"([^>]*)><pre><code>(.*?)</code></pre></div>', re.S
)
_COPY_RE = re.compile(r'\sdata-rb-copy="([^"]*)"')


def code_blocks(page_html: str) -> list[str]:
    """What the plugin's command blocks copy, in page order: the exact command."""
    out = []
    for attrs, body in _CODE_RE.findall(page_html):
        exact = _COPY_RE.search(attrs)
        out.append(html.unescape(exact.group(1) if exact else re.sub(r"<[^>]*>", "", body)))
    return out


def shown_blocks(page_html: str) -> list[str]:
    """Text content of the plugin's command blocks (what the page shows), in page order."""
    return [html.unescape(re.sub(r"<[^>]*>", "", body)) for _, body in _CODE_RE.findall(page_html)]


def plan_commands(plan: dict[str, Any]) -> list[str]:
    """Every shell text of a plan (as loaded by ``yaml.safe_load``), in page order."""
    out: list[str] = []
    for phase in plan["phases"]:
        for step in phase["steps"]:
            out += [step[k] for k in ("command", "verify") if k in step]
    for item in (plan.get("migrations") or {}).get("items", []):
        out += [item[k] for k in ("command", "verify", "rollback") if k in item]
    for step in plan["rollback"]["steps"]:
        out += [step[k] for k in ("command", "verify") if k in step]
    return out


def heading_ids(page_html: str) -> list[str]:
    return re.findall(r'<h[1-6][^>]*\sid="([^"]+)"', page_html)


def article(page_html: str) -> str:
    """The page's own content (``<article>``): not the nav, header or footer, which every page
    shares, so an assertion on it is about this page."""
    start = page_html.index("<article")
    return page_html[start : page_html.index("</article>", start)]
