"""The pattern library: built-in pattern pages shipped in the package plus a site's own.

A pattern page is Markdown with YAML front matter (``id``, ``title``, ``kind``, ``aliases``,
``rollback_time``, ...). A site's page with the same id replaces the built-in one; new ids add
patterns. Validation asks this registry which ``strategy.pattern`` values exist.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from .fields import norm_token
from .problems import Problem, decode_text, shown_path
from .safefs import Refused, read_limited
from .yamlnodes import parse_yaml

__all__ = [
    "BUILTIN_DIR",
    "FrontMatter",
    "Pattern",
    "PatternRegistry",
    "load_patterns",
    "split_front_matter",
]


def _builtin_dir() -> Path:
    here = Path(__file__).resolve().parent
    packaged = here / "patterns"
    if packaged.is_dir():
        return packaged
    # Editable install from a checkout: the repository's own patterns/ folder.
    return here.parent.parent / "patterns"


BUILTIN_DIR = _builtin_dir()

_FRONT_MATTER_RE = re.compile(r"\A---[ \t]*\r?\n(.*?\r?\n)?(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """``(front matter, body)`` of a Markdown page; an absent or broken block gives ``{}``.

    The front matter is read like a plan (:func:`~mkdocs_runbooks.yamlnodes.parse_yaml`):
    every value is its text exactly as written (``2.10`` stays ``2.10``), no tag is run.
    """
    match = _FRONT_MATTER_RE.match(text)
    if not match:
        return {}, text
    parsed = parse_yaml(match.group(1) or "")
    if not isinstance(parsed.data, dict):  # a repeated key is read, as PyYAML would
        return {}, text
    return parsed.data, text[match.end() :]


class FrontMatter(BaseModel):
    """The keys of a pattern page's front matter the portal reads (others are kept, in
    :attr:`Pattern.meta`: ``skeleton`` is read by ``new``)."""

    model_config = ConfigDict(extra="allow", frozen=True)

    id: str | None = None
    title: str | None = None
    kind: str | None = None
    aliases: tuple[str, ...] = ()
    rollback_time: str | None = None
    downtime: str | None = None
    summary: str | None = None

    @field_validator("aliases", mode="before")
    @classmethod
    def _one_or_many(cls, value: object) -> object:
        if value is None:
            return ()
        return (value,) if isinstance(value, str) else value


@dataclass
class Pattern:
    """One pattern page."""

    id: str
    title: str
    kind: str = "deployment"
    aliases: tuple[str, ...] = ()
    rollback_time: str | None = None
    downtime: str | None = None
    summary: str | None = None
    source: Path | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    """The whole front matter, values as written."""
    text: str = ""
    """The page as read (front matter and Markdown)."""


PAGE_LIMIT = 1_000_000
"""Bytes a pattern page may hold."""


def _read_page(folder: Path, name: str) -> str | Problem:
    """A pattern page's text, read as plan files are: a link, a FIFO or a device is never
    followed or opened, and a page over :data:`PAGE_LIMIT` bytes is not read."""
    shown = shown_path(folder / name)
    try:
        raw = read_limited(folder, [name], PAGE_LIMIT)
    except Refused as refused:
        return Problem(shown, 1, 1, "", f"pattern page {refused}")
    except OSError as error:
        return Problem(shown, 1, 1, "", f"pattern page not read: {error.strerror or error}")
    return decode_text(raw, shown)


def _pattern_from_text(path: Path, text: str) -> Pattern | None:
    meta, body = split_front_matter(text)
    if path.stem == "index" and "id" not in meta:
        return None
    try:
        front = FrontMatter.model_validate(meta)
    except ValidationError:  # keys that are not text: the page keeps its defaults
        front = FrontMatter()
    pid = norm_token(front.id or path.stem)
    title = front.title or ""
    if not title:
        heading = re.search(r"^#\s+(.+)$", body, re.M)
        title = heading.group(1).strip() if heading else pid.replace("-", " ").capitalize()
    return Pattern(
        id=pid,
        title=title,
        kind=norm_token(front.kind or "deployment"),
        aliases=front.aliases,
        rollback_time=front.rollback_time,
        downtime=front.downtime,
        summary=front.summary,
        source=path,
        meta=meta,
        text=text,
    )


class PatternRegistry:
    """Pattern ids, aliases and titles, and the lookups validation needs."""

    def __init__(self, patterns: Iterable[Pattern] = ()) -> None:
        self.patterns: dict[str, Pattern] = {}
        self._index: dict[str, str] | None = None
        self.pages: dict[str, str] = {}
        """Pages of the library that are not patterns (``index.md``): their text by file name."""
        self.problems: list[Problem] = []
        """Pattern pages that could not be read (a link, not UTF-8, too large)."""
        for pattern in patterns:
            self.add(pattern)

    def add(self, pattern: Pattern) -> None:
        """Add a pattern; one with the same id replaces the earlier one."""
        self.patterns[pattern.id] = pattern
        self._index = None

    def _keys(self) -> dict[str, str]:
        if self._index is None:
            index: dict[str, str] = {}
            # Titles first, then aliases, then ids: an id always wins a clash.
            for attr in ("title", "aliases", "id"):
                for p in self.patterns.values():
                    values = p.aliases if attr == "aliases" else (getattr(p, attr),)
                    for value in values:
                        index[norm_token(value)] = p.id
            self._index = index
        return self._index

    def get(self, pattern_id: str) -> Pattern | None:
        return self.patterns.get(pattern_id)

    def resolve(self, name: str, kind: str | None = "deployment") -> str | None:
        """The id named by ``name`` (an id, alias or title), or ``None``."""
        found = self._keys().get(norm_token(name))
        if found is None or (kind and self.patterns[found].kind != kind):
            return None
        return found

    def known(self, kind: str | None = "deployment") -> list[str]:
        return sorted(p.id for p in self.patterns.values() if not kind or p.kind == kind)

    def unknown_message(self, name: str) -> str:
        """The error for an unknown pattern, suggesting the nearest known id."""
        known = self.known()
        other = self._keys().get(norm_token(name))
        if other is not None:
            kind = self.patterns[other].kind
            return (
                f"'{name}' is a {kind} pattern, not a deployment strategy "
                f"(known: {', '.join(known)})"
            )
        keys = {k: v for k, v in self._keys().items() if self.patterns[v].kind == "deployment"}
        close = difflib.get_close_matches(norm_token(name), list(keys), n=1, cutoff=0.6)
        hint = f"; did you mean '{keys[close[0]]}'?" if close else ""
        return f"unknown pattern '{name}'{hint} (known: {', '.join(known)})"


def load_patterns(*dirs: Path | None) -> PatternRegistry:
    """Built-in patterns, then each folder's pages (later folders override earlier ones)."""
    registry = PatternRegistry()
    for folder in (BUILTIN_DIR, *(d for d in dirs if d is not None)):
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.md")):
            text = _read_page(folder, path.name)
            if isinstance(text, Problem):
                registry.problems.append(text)
                continue
            pattern = _pattern_from_text(path, text)
            if pattern is not None:
                registry.add(pattern)
            else:
                registry.pages[path.name] = text
    return registry
