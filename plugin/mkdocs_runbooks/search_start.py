"""Pagefind's early start: the plugin's own pages create Pagefind's web worker from their
``<head>``.

A query made as soon as a page has loaded waits for Pagefind's cold start (its worker
script, WebAssembly and page list, fetched and decoded). ``pagefind.js`` creates that worker
only once the main thread runs it, which on a theme like Material is after the theme's
bundle and ``DOMContentLoaded`` handlers: about when the page's ``load`` event fires. A
small inline script at the top of the ``<head>`` (``assets/search_start.js``) creates a
worker while the page is parsed (``assets/search-worker.js``), which runs Pagefind's worker
script and starts Pagefind in it at once, so that Pagefind loads alongside the theme (a
message from the page would wait for the busy main thread to pass it on); ``search.js``
then talks to that worker with the messages ``pagefind.js`` sends it.

That message protocol is Pagefind's own, between files of one bundle: the early start is
written only for the Pagefind versions in :data:`WORKER_PROTOCOLS`, whose worker this
project's browser tests talk to. With any other version the pages load Pagefind through
``pagefind.js``, as on the site's own pages.

This module imports no MkDocs: the adapter calls it.
"""

from __future__ import annotations

import functools
import json
import re
import subprocess
from pathlib import Path

__all__ = [
    "WORKER_PROTOCOLS",
    "WORKER_URI",
    "binary_version",
    "root_of",
    "script",
    "speaks_worker_protocol",
    "with_start",
    "worker_script",
]

WORKER_PROTOCOLS = frozenset({(1, 5)})
"""Pagefind versions (major, minor) whose web worker ``search.js`` can talk to directly."""

WORKER_URI = "assets/runbooks/search-worker.js"
"""Where the site gets ``assets/search-worker.js``, the worker the early start creates."""

_ASSETS = Path(__file__).parent / "assets"
_SOURCE = _ASSETS / "search_start.js"
_VERSION = re.compile(r"^pagefind (\d+)\.(\d+)\.\d+", re.MULTILINE)
_ROOT = re.compile(r"\./|(?:\.\./)+")
_HEAD = re.compile(r"<head\b[^>]*>", re.IGNORECASE)
_CHARSET = re.compile(r"\s*<meta\s+charset=[^>]*>", re.IGNORECASE)


@functools.cache
def binary_version(binary: str) -> tuple[int, int] | None:
    """The (major, minor) version a Pagefind binary reports; None when it reports none."""
    try:
        done = subprocess.run([binary, "--version"], capture_output=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    # Bytes, read as UTF-8 leniently: what any binary prints cannot stop the build.
    match = _VERSION.search(done.stdout.decode("utf-8", "replace"))
    return (int(match[1]), int(match[2])) if match else None


def speaks_worker_protocol(binary: str | None) -> bool:
    """Whether the early start can be written for the bundle this binary makes."""
    return binary is not None and binary_version(binary) in WORKER_PROTOCOLS


@functools.cache
def _code() -> str:
    """The script's code: its comment left out, lines without their indentation."""
    text = _SOURCE.read_text(encoding="utf-8")
    code = text[text.index("*/") + 2 :]
    return "\n".join(line.strip() for line in code.strip().splitlines())


def script(root: str, options: dict[str, int | str]) -> str:
    """The inline ``<script>`` for a page whose site root is ``root`` (``./`` or ``../``
    repeated: made from the page's depth, never from a name)."""
    if not _ROOT.fullmatch(root):
        raise ValueError(f"not a relative root: {root!r}")
    data = json.dumps(options, sort_keys=True).replace("<", "\\u003c")
    code = _code().replace("RB_ROOT", json.dumps(root), 1).replace("RB_OPTIONS", data, 1)
    code = code.replace("RB_WORKER", json.dumps(WORKER_URI), 1)
    return f"<script>{code}</script>"


def worker_script() -> bytes:
    """The worker the early start creates (``assets/search-worker.js``)."""
    return (_ASSETS / "search-worker.js").read_bytes()


def root_of(url: str) -> str:
    """The site's root relative to a page at ``url`` (MkDocs' page URL: ``plans/x/``,
    ``plans/x.html``, ``""``)."""
    depth = url.count("/")
    return "../" * depth if depth else "./"


def with_start(html: str, url: str, options: dict[str, int | str]) -> str:
    """A page's HTML with the early start right after its ``<meta charset>`` (or its
    ``<head>`` tag), before any stylesheet, which would hold an inline script up. A page
    without a ``<head>`` is returned as it is."""
    head = _HEAD.search(html)
    if head is None:
        return html
    end = head.end()
    charset = _CHARSET.match(html, end)
    if charset is not None:
        end = charset.end()
    return html[:end] + script(root_of(url), options) + html[end:]
