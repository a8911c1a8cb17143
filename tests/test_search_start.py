"""Pagefind's early start (search_start.py): where the inline script goes in a page, what
it is made of, and for which Pagefind versions it is written. Its work in the browser is
tested in test_pagefind.py, on real builds."""

from __future__ import annotations

import json
import os
import re
import stat
from pathlib import Path

import pytest

from mkdocs_runbooks import search_start
from mkdocs_runbooks.search import PAGEFIND_OPTIONS, binary

PAGE = """<!doctype html>
<html lang="en" class="no-js">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width,initial-scale=1">
    <title>checkout-api 2.10</title>
    <link rel="stylesheet" href="../../assets/stylesheets/main.css">
  </head>
  <body><p>plan</p></body>
</html>
"""


def start_of(page: str) -> str:
    found = re.findall(r"<script>.*?</script>", page, re.DOTALL)
    assert len(found) == 1, found
    return str(found[0])


def test_the_script_goes_after_the_charset_and_before_any_stylesheet() -> None:
    page = search_start.with_start(PAGE, "plans/checkout-api/2026-04-21-2.10/", {})
    script = start_of(page)
    assert page.index('<meta charset="utf-8">') < page.index(script)
    assert page.index(script) < page.index("<link rel=")
    assert page.replace(script, "") == PAGE, "nothing else changes"
    assert f'new URL("{search_start.WORKER_URI}", root)' in script


def test_without_a_charset_the_script_opens_the_head() -> None:
    page = PAGE.replace('<meta charset="utf-8">', "")
    out = search_start.with_start(page, "plans/", {})
    assert out.index("<head>") + len("<head>") == out.index("<script>")


def test_a_page_without_a_head_is_left_as_it_is() -> None:
    assert search_start.with_start("<p>no head</p>", "plans/", {}) == "<p>no head</p>"


@pytest.mark.parametrize(
    ("url", "root"),
    [
        ("", "./"),
        ("index.html", "./"),
        ("plans/", "../"),
        ("plans/checkout-api/2026-04-21-2.10/", "../../../"),
        ("plans/checkout-api/2026-04-21-2.10.html", "../../"),
    ],
)
def test_the_root_comes_from_the_page_depth(url: str, root: str) -> None:
    assert search_start.root_of(url) == root
    script = start_of(search_start.with_start(PAGE, url, {}))
    assert f"new URL({json.dumps(root)}, location.href)" in script


def test_names_never_reach_the_script() -> None:
    """A plan folder named like markup or script changes the depth, nothing else."""
    url = 'plans/</script><script>alert(1)</script>/x"+alert(2)+"/'
    script = start_of(search_start.with_start(PAGE, url, {}))
    assert "alert" not in script
    assert '"../../../../../"' in script  # every "/" of the URL is one level up
    with pytest.raises(ValueError, match="not a relative root"):
        search_start.script('"+alert(1)+"', {})


def test_options_are_json_and_cannot_close_the_script() -> None:
    script = search_start.script("../", {"excerptLength": 24, "note": "</script><b>"})
    assert "</script><b>" not in script[: -len("</script>")]
    assert '"excerptLength": 24' in script
    assert script.count("</script>") == 1


def test_the_script_is_code_only_and_small() -> None:
    script = search_start.script("../../../", PAGEFIND_OPTIONS)
    assert "/*" not in script and "mkdocs-runbooks" not in script, "the comment is left out"
    assert "\n " not in script, "no indentation"
    assert len(script.encode()) < 1000, len(script.encode())


def fake_pagefind(tmp_path: Path, version: str) -> str:
    """An executable that reports ``version`` and otherwise runs the real Pagefind."""
    real = binary()
    path = tmp_path / f"pagefind-{version}"
    path.write_text(
        "#!/bin/sh\n"
        f'if [ "$1" = "--version" ]; then echo "pagefind {version}"; exit 0; fi\n'
        f'exec "{real}" "$@"\n',
        encoding="utf-8",
    )
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return str(path)


@pytest.mark.skipif(os.name != "posix", reason="a shell script stands for the binary")
@pytest.mark.parametrize(
    ("version", "speaks"), [("1.5.2", True), ("1.5.0", True), ("1.4.0", False), ("2.0.0", False)]
)
def test_only_known_worker_protocols_get_the_early_start(
    tmp_path: Path, version: str, speaks: bool
) -> None:
    assert search_start.speaks_worker_protocol(fake_pagefind(tmp_path, version)) is speaks


def test_no_binary_or_no_version_means_no_early_start(tmp_path: Path) -> None:
    assert search_start.speaks_worker_protocol(None) is False
    assert search_start.binary_version(str(tmp_path / "missing")) is None
    silent = tmp_path / "silent"
    silent.write_text("#!/bin/sh\nexit 0\n", encoding="utf-8")
    silent.chmod(0o755)
    assert search_start.binary_version(str(silent)) is None


@pytest.mark.skipif(os.name != "posix", reason="a shell script stands for the binary")
def test_a_version_in_bytes_that_are_not_utf8_is_no_crash(tmp_path: Path) -> None:
    """A binary (PAGEFIND_BINARY_PATH) whose --version prints bytes that are not UTF-8, on
    stdout or stderr, is asked once like any other: no UnicodeDecodeError out of the build."""
    odd = tmp_path / "odd"
    odd.write_bytes(
        b'#!/bin/sh\nprintf "pagefind 1.5.2\\n\\377\\376\\n"\nprintf "\\351t\\351\\n" >&2\n'
    )
    odd.chmod(0o755)
    assert search_start.binary_version(str(odd)) == (1, 5)
    garbled = tmp_path / "garbled"
    garbled.write_bytes(b'#!/bin/sh\nprintf "\\377 pagefind\\n"\n')
    garbled.chmod(0o755)
    assert search_start.binary_version(str(garbled)) is None


def test_the_docs_hold_no_placeholder_left_to_fill() -> None:
    """A figure to be measured is written as such, not left as RB_SOMETHING for readers."""
    docs = Path(__file__).resolve().parents[1] / "docs"
    left = {
        f"{page.name}:{number}": line.strip()
        for page in sorted(docs.glob("*.md"))
        for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"\bRB_[A-Z][A-Z_]*\b", line)
    }
    assert not left, left
