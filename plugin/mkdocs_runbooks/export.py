"""Write the portal's pages as Markdown files (``mkdocs-runbooks export``).

The files use only Markdown that Zensical and a plain MkDocs build understand; HTML the
plugin would insert after Markdown is written as one-line raw HTML blocks. Re-running an
export replaces the files it wrote before, and nothing else.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from .render import front_matter, inline_fragments
from .site import Settings, SiteResult, generate

__all__ = ["ASSETS", "MARKER", "ExportError", "ExportResult", "export"]

MARKER = ".mkdocs-runbooks-export.json"
ASSETS = ("runbooks.css", "print.css", "runbooks.js", "portal.js", "insights.css")
ASSET_DIR = Path(__file__).parent / "assets"


class ExportError(Exception):
    """The export refused to write (a folder it did not create)."""


@dataclass
class ExportResult:
    site: SiteResult
    written: list[str]
    removed: list[str]


def _previous(out: Path, force: bool) -> list[str]:
    marker = out / MARKER
    if marker.is_file():
        try:
            data = json.loads(marker.read_text(encoding="utf-8"))
            return [str(name) for name in data.get("files", [])]
        except (ValueError, AttributeError):
            if not force:
                raise ExportError(f"{marker} is not an export record; use --force") from None
            return []
    if out.exists() and any(out.iterdir()) and not force:
        raise ExportError(
            f"{out} is not empty and was not written by an export; "
            "choose another folder or pass --force"
        )
    return []


def export(settings: Settings, out: Path, *, force: bool = False) -> ExportResult:
    """Generate every page and write it below ``out``; returns what was written."""
    old = _previous(out, force)
    site = generate(settings)
    removed: list[str] = []
    for name in old:
        path = (out / name).resolve()
        if out.resolve() in path.parents and path.is_file():
            path.unlink()
            removed.append(name)
    written: list[str] = []
    for item in site.pages:
        path = out / item.src_uri
        path.parent.mkdir(parents=True, exist_ok=True)
        text = inline_fragments(item.page) if item.page.fragments else item.page.markdown
        if item.page.meta:
            text = front_matter(item.page.meta) + text
        path.write_text(text, encoding="utf-8")
        written.append(item.src_uri)
    for uri, content in site.files.items():  # charts and feeds
        path = out / uri
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        written.append(uri)
    for name in ASSETS:
        uri = f"assets/runbooks/{name}"
        (out / uri).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ASSET_DIR / name, out / uri)
        written.append(uri)
    (out / MARKER).write_text(
        json.dumps({"generator": "mkdocs-runbooks export", "files": sorted(written)}, indent=1),
        encoding="utf-8",
    )
    for folder in sorted(
        {(out / n).parent for n in removed}, key=lambda p: len(p.parts), reverse=True
    ):
        if folder.is_dir() and folder != out and not any(folder.iterdir()):
            folder.rmdir()
    return ExportResult(site, written, [n for n in removed if n not in written])
