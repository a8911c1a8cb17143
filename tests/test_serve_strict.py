"""`mkdocs serve` of a strict site: an invalid plan never stops the preview. Its problems
show on its error page and in the log, while `mkdocs build --strict` still fails on them."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from sitebuild import make_site, run_build, spec_text

pytestmark = pytest.mark.slow

BROKEN = "service: billing-worker\nrelease: 1.0\n"  # no date, no phases, no rollback


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode("utf-8"))
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def wait_for(proc: subprocess.Popen[str], url: str, text: str, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"mkdocs serve stopped (exit {proc.returncode})")
        body = fetch(url)
        if body is not None and text in body:
            return body
        time.sleep(0.5)
    pytest.fail(f"{url} never showed {text!r}")


def test_invalid_plan_never_stops_a_strict_preview(tmp_path: Path) -> None:
    make_site(
        tmp_path,
        {"billing-worker/good": spec_text("minimal"), "billing-worker/broken": BROKEN},
        config={"strict": True, "theme": {"name": "mkdocs"}},
    )
    assert run_build(tmp_path, strict=True).aborted  # the build still fails
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
            cwd=tmp_path,
            stdout=out,
            stderr=subprocess.STDOUT,
            text=True,
        )
    try:
        base = f"http://127.0.0.1:{port}/"
        page = wait_for(proc, base + "plans/billing-worker/broken/", "could not be built")
        assert "date" in page
        assert "Test portal" in (fetch(base) or "")
        # A valid plan made invalid while serving: the rebuild shows its error page too.
        good = tmp_path / "plans/billing-worker/good/deployment-plan.yaml"
        good.write_text(BROKEN, encoding="utf-8")
        wait_for(proc, base + "plans/billing-worker/good/", "could not be built")
        assert proc.poll() is None
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    text = log.read_text(encoding="utf-8")
    assert "plans/billing-worker/broken/deployment-plan.yaml" in text
    assert "Aborted" not in text
