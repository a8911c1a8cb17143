"""Browser tests' helpers: Debian's chromium driven by Playwright, and a static HTTP server.

Playwright never downloads a browser here: it drives ``/usr/bin/chromium`` (or the path in
``RUNBOOKS_CHROMIUM``). When that is missing the browser tests skip, except under
``CI=true``, where they fail so that a CI machine without chromium is noticed.

Use it from a test module with ``pytest_plugins = ["browser"]``, which brings in the
``browser``, ``context``, ``page``, ``console`` and ``serve`` fixtures; ``serve(folder)``
serves a built site on ``127.0.0.1`` at a free port.
"""

from __future__ import annotations

import _thread
import functools
import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path(os.environ.get("RUNBOOKS_CHROMIUM", "/usr/bin/chromium"))
_NOT_LOCAL = re.compile(r"^(?!http://127\.0\.0\.1[:/]|data:|blob:|about:)")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


def require_chromium() -> Path:
    """The chromium to drive; skips the test when there is none (fails under CI=true)."""
    if CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK):
        return CHROMIUM
    message = (
        f"browser tests need chromium at {CHROMIUM} (Debian: apt-get install chromium; "
        "or set RUNBOOKS_CHROMIUM); Playwright's own browsers are not downloaded"
    )
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass

    def end_headers(self) -> None:
        # Every reload gets the files as they are now (a test rebuilds the site in place).
        self.send_header("Cache-Control", "no-store")
        super().end_headers()


class _SiteServer(ThreadingHTTPServer):
    """A thread per request, started with ``_thread`` rather than ``threading.Thread``.

    Under pytest-cov, ``threading`` installs coverage's trace function in every new thread
    as it starts; when that races with another thread installing one, the new thread dies
    at once ("Cannot install a trace function while another trace function is being
    installed", seen as an unraisable-exception warning) and its request is never answered:
    Chromium then waits for that file until the page load times out. That was the
    intermittent 30 s "stall" of the browser tests. ``_thread`` threads skip the trace hook
    (the handlers are test code, not measured), so every accepted request is answered.
    """

    # socketserver's default backlog is 5; Chromium opens several connections at once.
    request_queue_size = 128
    daemon_threads = True
    block_on_close = False

    def process_request(self, request: Any, client_address: Any) -> None:
        _thread.start_new_thread(self.process_request_thread, (request, client_address))


@contextmanager
def serve_folder(folder: Path) -> Iterator[str]:
    """Serve ``folder`` over HTTP on 127.0.0.1 at a free port; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = _SiteServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@dataclass
class Console:
    """Errors a page reported: console.error messages and uncaught exceptions."""

    errors: list[str] = field(default_factory=list)

    def watch(self, page: Any) -> None:
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.errors.append(f"console.error: {message.text}")


@pytest.fixture(scope="session")
def serve() -> Any:
    """``serve(folder)``: a context manager serving ``folder``; yields the base URL."""
    return serve_folder


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless chromium per test module. Not per session: while Playwright's sync API
    runs, no other test can start it (it refuses to run inside its own asyncio loop)."""
    executable = require_chromium()
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(executable), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def context(browser: Any) -> Iterator[Any]:
    """A fresh browser context (own localStorage) for one test."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    # Generous: two workers each build sites and run Chromium on a 2-core CI machine.
    ctx.set_default_timeout(30_000)
    # Tests never reach the network: anything not served by serve() gets an empty answer.
    ctx.route(_NOT_LOCAL, lambda route: route.fulfill(status=204, body=""))
    try:
        yield ctx
    finally:
        ctx.close()


@pytest.fixture
def console() -> Console:
    return Console()


@pytest.fixture
def page(context: Any, console: Console) -> Any:
    """A page whose console errors and uncaught exceptions land in ``console.errors``."""
    pg = context.new_page()
    console.watch(pg)
    return pg
