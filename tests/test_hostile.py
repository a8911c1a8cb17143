"""Untrusted input: plans come from pull requests and are built into previews reviewers open.

The portal never runs plan text as script, never changes a command, never loses a plan and
never crashes (see docs/security.md).
"""

from __future__ import annotations

import functools
import os
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mkdocs_runbooks.cli import main
from mkdocs_runbooks.load import discover, load_text
from mkdocs_runbooks.patterns import PatternRegistry, load_patterns
from sitebuild import build_site, code_blocks, make_site, plan_commands, run_build, spec_text

pytest_plugins = ["browser"]

HOSTILE = Path(__file__).parent / "hostile"
CORPUS = sorted(p.stem for p in HOSTILE.glob("*.yaml"))
CI = os.environ.get("CI") == "true"


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Any:
    root = tmp_path_factory.mktemp("hostile")
    plans = {f"checkout-api/{name}": (HOSTILE / f"{name}.yaml").read_text() for name in CORPUS}
    site = build_site(root, plans, strict=True)
    assert not site.aborted, site.warnings
    return site


def _article(page: str) -> str:
    return page[page.index("<article") : page.index("</article>")]


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))


@pytest.mark.slow
@pytest.mark.parametrize("name", CORPUS)
def test_no_script_reaches_the_page(hostile_site: Any, name: str) -> None:
    parser = _Tags()
    parser.feed(_article(hostile_site.page(f"plans/checkout-api/{name}/")))
    assert parser.tags, "the article was parsed"
    for tag, attrs in parser.tags:
        assert tag not in {"script", "iframe", "style", "svg", "body", "object", "embed", "img"}
        assert tag != "input" or attrs.get("type") == "checkbox"
        assert not [a for a in attrs if a.startswith("on")], (tag, attrs)
        assert "style" not in attrs, (tag, attrs)
        for key in ("href", "src", "action", "formaction"):
            value = attrs.get(key, "").strip().lower()
            assert not value.startswith(("javascript:", "data:", "vbscript:")), (tag, attrs)


def test_template_syntax_stays_literal(hostile_site: Any) -> None:
    page = hostile_site.page("plans/checkout-api/template-syntax/")
    assert "{{ config.site_name }}" in page and "{% for x in range(3) %}{{ x }}{% endfor %}" in page
    assert "${{ github.token }}" in page


@pytest.mark.parametrize("name", CORPUS)
def test_commands_in_corpus_byte_for_byte(hostile_site: Any, name: str) -> None:
    expected = plan_commands(yaml.safe_load((HOSTILE / f"{name}.yaml").read_text()))
    assert code_blocks(hostile_site.page(f"plans/checkout-api/{name}/")) == expected


@pytest.mark.browser
@pytest.mark.parametrize("name", CORPUS)
def test_chromium_runs_no_plan_script(hostile_site: Any, serve: Any, page: Any, name: str) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    with serve(hostile_site.site_dir) as base:
        page.goto(base + f"plans/checkout-api/{name}/")
        page.wait_for_load_state("load")
        for summary in page.locator("details summary").all():
            summary.click()
        page.mouse.move(300, 300)
        page.wait_for_timeout(300)
        assert page.evaluate("window.__xss === undefined")
        assert dialogs == []
        assert page.locator("article iframe, article script").count() == 0
        # Plan CSS cannot hide the page: the header is on top and the content visible.
        top = page.evaluate(
            "(() => { const e = document.elementFromPoint(innerWidth / 2, 20);"
            " return e && e.closest('header') !== null; })()"
        )
        assert top, "the site header is not covered"
        assert page.locator("article h1#top").is_visible()
        assert page.locator("body").is_visible()


# --- shell text byte for byte, as a property -------------------------------------------------

ALPHABET = st.sampled_from(
    [
        *"`<>&\"'$%{}|*_#\\-~!=[]()+:;,./?@^ ",
        *("\t", "\n", "  ", "```", "``", "{{", "}}", "{%", "%}", "<<-EOF", "--", "**"),
        *"aZ09éß✓—“”漢",
    ]
)
SHELL = st.lists(ALPHABET, min_size=1, max_size=40).map("".join)
# One site holds a batch of generated plans: a build per example would spend the test's time in
# MkDocs start-up. 10 plans a batch, 3 batches (5 under CI): 30 (50) plans of 9 commands each.
BATCH = 10
PROFILE = settings(
    max_examples=5 if CI else 3,
    deadline=None,
    derandomize=CI,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _plan_with(commands: list[str]) -> str:
    plan = yaml.safe_load(spec_text("example"))
    c = iter(commands)
    for item in plan["migrations"]["items"]:
        item["command"], item["verify"] = next(c), next(c)
        if item.get("reversible", True):
            item["rollback"] = next(c)
    plan["phases"][0]["steps"][0]["command"] = next(c)
    plan["phases"][0]["steps"][0]["verify"] = next(c)
    plan["rollback"]["steps"][0]["command"] = next(c)
    plan["rollback"]["steps"][0]["verify"] = next(c)
    return yaml.safe_dump(plan, sort_keys=False, allow_unicode=True)


def _expected(text: str) -> list[str]:
    return plan_commands(yaml.safe_load(text))


@pytest.mark.slow
@PROFILE
@given(batch=st.lists(st.lists(SHELL, min_size=9, max_size=9), min_size=BATCH, max_size=BATCH))
def test_shell_text_round_trip_property(tmp_path_factory: Any, batch: list[list[str]]) -> None:
    root = tmp_path_factory.mktemp("prop")
    texts = {f"checkout-api/x{i}": _plan_with(commands) for i, commands in enumerate(batch)}
    site = build_site(root, texts)
    assert not site.aborted
    for folder, text in texts.items():
        expected = _expected(text)
        assert code_blocks(site.page(f"plans/{folder}/")) == expected, folder
        # The standalone Markdown (render) holds the same bytes in its fences.
        out = root / f"{folder.replace('/', '-')}.md"
        plan_file = root / "plans" / folder / "deployment-plan.yaml"
        assert main(["render", str(plan_file), "-o", str(out)]) == 0
        text_md = out.read_text(encoding="utf-8")
        fences = re.findall(r"^(`{3,})\n(.*?)^\1$", text_md, flags=re.S | re.M)
        bodies = [body for _, body in fences]
        assert bodies == [c if c.endswith("\n") else c + "\n" for c in expected], folder
    shutil.rmtree(root)


# --- nothing lost ------------------------------------------------------------------------------


@functools.cache
def _patterns() -> PatternRegistry:
    """The built-in pattern library, read once (reading it is most of an example's time)."""
    return load_patterns()


@settings(max_examples=300 if CI else 150, deadline=None, derandomize=CI)
@given(text=st.text(max_size=400))
def test_random_text_gets_a_message_not_a_crash(text: str) -> None:
    loaded = load_text(text, "junk.yaml", _patterns())
    assert loaded.plan is not None or loaded.problems
    for problem in loaded.problems:
        assert problem.file == "junk.yaml" and problem.line >= 1 and problem.col >= 1


@settings(max_examples=150 if CI else 80, deadline=None, derandomize=CI)
@given(
    text=st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=20),
        lambda children: (
            st.lists(children, max_size=4)
            | st.dictionaries(st.text(max_size=10), children, max_size=4)
        ),
        max_leaves=30,
    ).map(lambda v: yaml.safe_dump(v, allow_unicode=True))
)
def test_random_yaml_structures_never_crash(text: str) -> None:
    loaded = load_text(text, "junk.yaml", _patterns())
    assert loaded.plan is None and loaded.problems


@pytest.mark.slow
def test_every_plan_file_is_a_page_or_an_error(tmp_path: Path) -> None:
    plans = {
        "a/good": spec_text("minimal"),
        "a/junk": "{{{ not: [yaml",
        "a/empty": "",
        "a/list": "- 1\n- 2\n",
        "a/bad-enum": spec_text("minimal").replace("status: draft", "status: nope"),
        "B/dup": spec_text("minimal"),
        "b/dup": spec_text("minimal"),
    }
    make_site(tmp_path, plans)
    (tmp_path / "plans/a/misnamed").mkdir()
    (tmp_path / "plans/a/misnamed/deployment_plan.yaml").write_text(spec_text("minimal"))
    site = run_build(tmp_path)
    assert not site.aborted
    text = "\n".join(site.warnings)
    for folder in ("a/junk", "a/empty", "a/list", "a/bad-enum"):
        assert f"plans/{folder}/deployment-plan.yaml:" in text, folder
        assert site.exists(f"plans/{folder}/"), folder
    assert site.exists("plans/a/good/")
    assert "deployment_plan.yaml" in text and "ignored" in text
    # Two plans with one address (on a case-insensitive disk): both reported, neither wins.
    assert "plans/B/dup/deployment-plan.yaml" in text and "plans/b/dup/deployment-plan.yaml" in text
    assert "share the page address" in text


@pytest.mark.slow
def test_ten_thousand_other_files_are_scanned(tmp_path: Path) -> None:
    for i in range(100):
        folder = tmp_path / f"d{i}"
        folder.mkdir()
        for j in range(100):
            (folder / f"notes-{j}.txt").write_text("x")
    (tmp_path / "d7/svc").mkdir()
    (tmp_path / "d7/svc/deployment-plan.yaml").write_text("x: 1")
    (tmp_path / "d9/deployment-plan.yml").write_text("x: 1")
    found = discover(tmp_path)
    assert [p.relative_to(tmp_path).as_posix() for p in found.plans] == [
        "d7/svc/deployment-plan.yaml",
        "d9/deployment-plan.yml",
    ]
    assert found.ignored == []
