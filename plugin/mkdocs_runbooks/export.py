"""Write the portal's pages as Markdown files (``mkdocs-runbooks export``).

The files use only Markdown that Zensical and a plain MkDocs build understand; HTML the
plugin would insert after Markdown is written as one-line raw HTML blocks. Re-running an
export replaces the files it wrote before, and nothing else.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from .pagemark import with_mark
from .render import front_matter, inline_fragments
from .safefs import Refused, read_limited, unlink_below, write_below
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
    try:
        raw = read_limited(out, [MARKER], 16 * 1024 * 1024)
    except FileNotFoundError:
        raw = None
    except (Refused, OSError) as error:
        if not force:
            raise ExportError(
                f"{out / MARKER} is not an export record ({error}); use --force"
            ) from None
        return []
    if raw is not None:
        try:
            data = json.loads(raw.decode("utf-8"))
            return [str(name) for name in data.get("files", [])]
        except (ValueError, AttributeError):
            if not force:
                raise ExportError(f"{out / MARKER} is not an export record; use --force") from None
            return []
    if out.exists() and any(out.iterdir()) and not force:
        raise ExportError(
            f"{out} is not empty and was not written by an export; "
            "choose another folder or pass --force"
        )
    return []


def _real_folder_below(out: Path, folder: Path) -> bool:
    """Whether ``folder`` is below ``out`` through folders only (no link on the way)."""
    try:
        parts = folder.relative_to(out).parts
    except ValueError:
        return False
    here = out
    for part in parts:
        here = here / part
        if here.is_symlink() or not here.is_dir():
            return False
    return bool(parts)


def export(settings: Settings, out: Path, *, force: bool = False) -> ExportResult:
    """Generate every page and write it below ``out``; returns what was written.

    Nothing is written through a symbolic link or outside ``out``: folders below ``out``
    are opened without following links (a link there stops the export with an
    :class:`ExportError`), and each file is written to a new name and renamed into place,
    so a link at a file's name is replaced, not written through.
    """
    old = _previous(out, force)
    site = generate(settings)
    out.mkdir(parents=True, exist_ok=True)
    removed = [name for name in old if unlink_below(out, name)]
    written: list[str] = []
    try:
        for item in site.pages:
            text = inline_fragments(item.page) if item.page.fragments else item.page.markdown
            text = with_mark(text)  # the plugin's CSS applies to pages holding it
            if item.page.meta:
                text = front_matter(item.page.meta) + text
            write_below(out, item.src_uri, text.encode("utf-8"))
            written.append(item.src_uri)
        for uri, content in site.files.items():  # charts and feeds
            write_below(out, uri, content)
            written.append(uri)
        for name in ASSETS:
            uri = f"assets/runbooks/{name}"
            write_below(out, uri, (ASSET_DIR / name).read_bytes())
            written.append(uri)
        record = {"generator": "mkdocs-runbooks export", "files": sorted(written)}
        write_below(out, MARKER, json.dumps(record, indent=1).encode("utf-8"))
    except Refused as refused:
        raise ExportError(f"not written below {out}: {refused}") from None
    for folder in sorted(
        {(out / n).parent for n in removed}, key=lambda p: len(p.parts), reverse=True
    ):
        if _real_folder_below(out, folder) and not any(folder.iterdir()):
            folder.rmdir()
    return ExportResult(site, written, [n for n in removed if n not in written])
