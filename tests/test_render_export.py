"""`mkdocs-runbooks render` (portable Markdown of one plan) and `export` (every page as
Markdown files), built by plain Python-Markdown, plain MkDocs and Zensical."""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import markdown
import pytest
import yaml

from mkdocs_runbooks.cli import main
from sitebuild import (
    ROOT,
    SPEC,
    article,
    build_site,
    code_blocks,
    make_site,
    plan_commands,
    run_build,
    spec_text,
)

GOLDEN = Path(__file__).parent / "golden"


def _outside_fences(text: str) -> str:
    return re.sub(r"^(`{3,})[^\n]*\n.*?^\1$", "", text, flags=re.S | re.M)


@pytest.mark.parametrize("name", ["example", "minimal"])
def test_render_golden(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["render", str(SPEC / f"deployment-plan.{name}.yaml")]) == 0
    got = capsys.readouterr().out
    path = GOLDEN / f"{name}.gfm.md"
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(got, encoding="utf-8")
    assert got == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["example", "minimal"])
def test_render_is_plain_markdown_with_commands_intact(
    name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["render", str(SPEC / f"deployment-plan.{name}.yaml")])
    text = capsys.readouterr().out
    assert not re.search(r"<[a-zA-Z/!]", _outside_fences(text)), "no raw HTML"
    out = markdown.markdown(text, extensions=["fenced_code", "tables"])
    blocks = [html.unescape(b) for b in re.findall(r"<pre><code>(.*?)</code></pre>", out, re.S)]
    expected = plan_commands(yaml.safe_load(spec_text(name)))
    assert [b.rstrip("\n") for b in blocks] == [c.rstrip("\n") for c in expected]
    assert "- [ ] Done" in text
    assert text.index("## Rollback") > text.index("## 1.")


HOSTILE = [
    "cat <<-EOF\n\tindented with a tab   \n   \nEOF\n",
    "echo ``` inside ```` and `x` <b>not html</b> {{ .Values }} **x** _y_",
    "kubectl get pods -o go-template='{{range .items}}{{.metadata.name}}{{\"\\n\"}}{{end}}'",
]


def test_render_fences_hold_hostile_commands_byte_for_byte(tmp_path: Path) -> None:
    plan = yaml.safe_load(spec_text("minimal"))
    plan["phases"][0]["steps"] = [
        {"id": f"s{i}", "title": f"S{i}", "command": c} for i, c in enumerate(HOSTILE)
    ]
    plan["summary"] = "Has <script>alert(1)</script> and `<code>` kept"
    source = tmp_path / "x" / "deployment-plan.yaml"
    source.parent.mkdir()
    source.write_text(yaml.safe_dump(plan), encoding="utf-8")
    assert main(["render", str(source), "-o", str(tmp_path / "x")]) == 0
    text = (tmp_path / "x" / "deployment-plan.md").read_text(encoding="utf-8")
    fences = re.findall(r"^(`{3,})\n(.*?)^\1$", text, flags=re.S | re.M)
    got = [body for _, body in fences][: len(HOSTILE)]
    assert got == [c if c.endswith("\n") else c + "\n" for c in HOSTILE]
    assert "&lt;script>alert(1)&lt;/script>" in text and "`<code>`" in text


def test_render_invalid_plan_reports_problems(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "deployment-plan.yaml"
    bad.write_text(spec_text("minimal").replace("level: low", "level: extreme"))
    assert main(["render", str(bad)]) == 1
    assert "risk.level: invalid value 'extreme'" in capsys.readouterr().err


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("export")
    out = root / "docs" / "runbooks"
    assert main(["export", "--config-file", str(ROOT / "mkdocs.yml"), "--out", str(out)]) == 0
    (root / "docs" / "index.md").write_text("# Home\n\n[Plans](runbooks/plans/index.md)\n")
    config = {
        "site_name": "Exported",
        "markdown_extensions": ["attr_list", "md_in_html", "tables", "toc"],
        "extra_css": ["runbooks/assets/runbooks/runbooks.css"],
        "extra_javascript": ["runbooks/assets/runbooks/runbooks.js"],
    }
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config))
    return root


def test_export_writes_every_page(exported: Path) -> None:
    out = exported / "docs" / "runbooks"
    plans = sorted(
        p.parent.relative_to(ROOT / "plans").as_posix()
        for p in (ROOT / "plans").rglob("deployment-plan.yaml")
    )
    for folder in plans:
        assert (out / "plans" / folder / "index.md").is_file(), folder
    for name in (
        "plans/index.md",
        "quality/index.md",
        "quality/rules.md",
        "patterns/canary.md",
        "patterns/index.md",
        "plans/checkout-api/index.md",
    ):
        assert (out / name).is_file(), name
    canary = (out / "patterns/canary.md").read_text()
    assert "Plans using this pattern" in canary and "../plans/checkout-api/" in canary
    assert (out / ".mkdocs-runbooks-export.json").is_file()


@pytest.mark.slow
def test_export_builds_with_plain_mkdocs_without_the_plugin(exported: Path, tmp_path: Path) -> None:
    mkdocs = str(Path(sys.executable).with_name("mkdocs"))
    result = subprocess.run(
        [mkdocs, "build", "--strict", "-d", str(tmp_path / "site")],
        cwd=exported,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    page = (tmp_path / "site/runbooks/plans/checkout-api/2026-04-21-2.10/index.html").read_text()
    plan = yaml.safe_load(
        (ROOT / "plans/checkout-api/2026-04-21-2.10/deployment-plan.yaml").read_text()
    )
    assert code_blocks(page) == plan_commands(plan)
    assert '<section class="rb-rollback">' in page and 'id="rollback"' in page
    # The mark the plugin's CSS is scoped to (:has(.rb-page)) is on every exported page.
    assert len(re.findall(r'class="(?:[^"]* )?rb-page[ "]', page)) == 1
    for name in ("plans/index.html", "quality/index.html", "patterns/canary/index.html"):
        assert 'class="rb-page"' in (tmp_path / "site/runbooks" / name).read_text(), name


@pytest.mark.slow
def test_zensical_builds_the_export(exported: Path) -> None:
    exe = Path(sys.executable).with_name("zensical")
    assert exe.exists(), "zensical is installed by the test extras"
    result = subprocess.run(
        [str(exe), "build"], cwd=exported, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    page = (exported / "site/runbooks/plans/checkout-api/2026-04-21-2.10/index.html").read_text()
    plan = yaml.safe_load(
        (ROOT / "plans/checkout-api/2026-04-21-2.10/deployment-plan.yaml").read_text()
    )
    assert code_blocks(page) == plan_commands(plan)
    assert '<h2 id="rollback">Rollback</h2>' in page
    assert plan["title"].split(" - ")[0] in html.unescape(article(page))
    index = (exported / "site/runbooks/plans/index.html").read_text()
    assert "<td>2026-04-21</td>" in index  # the plan's row (its address holds the date anyway)


@pytest.mark.slow
def test_export_keeps_tabs_and_template_braces(tmp_path: Path) -> None:
    plan = yaml.safe_load(spec_text("minimal"))
    plan["phases"][0]["steps"][0]["command"] = HOSTILE[0] + HOSTILE[2]
    make_site(tmp_path, {"billing-worker/x": yaml.safe_dump(plan)})
    out = tmp_path / "docs" / "runbooks"
    assert main(["export", "-f", str(tmp_path / "mkdocs.yml"), "-o", str(out)]) == 0
    text = (out / "plans/billing-worker/x/index.md").read_text()
    assert "\t" not in text and "{{" not in text
    site_cfg = yaml.safe_load((tmp_path / "mkdocs.yml").read_text())
    site_cfg["plugins"] = ["search"]
    site_cfg["markdown_extensions"] = ["attr_list", "md_in_html", "tables", "toc"]
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(site_cfg))
    shutil.rmtree(tmp_path / "plans")
    site = run_build(tmp_path, strict=True)
    assert not site.aborted, site.warnings
    blocks = code_blocks(site.page("runbooks/plans/billing-worker/x/"))
    assert blocks[0] == HOSTILE[0] + HOSTILE[2]


def test_export_refuses_foreign_folder_and_replaces_its_own(tmp_path: Path) -> None:
    make_site(
        tmp_path,
        {"a/one": spec_text("minimal"), "a/two": spec_text("minimal").replace("4.2.0", "4.3.0")},
    )
    out = tmp_path / "out"
    out.mkdir()
    (out / "mine.md").write_text("not the export's")
    args = ["export", "-f", str(tmp_path / "mkdocs.yml"), "-o", str(out)]
    assert main(args) == 2
    assert main([*args, "--force"]) == 0
    assert (out / "plans/a/two/index.md").is_file()
    shutil.rmtree(tmp_path / "plans/a/two")
    assert main(args) == 0
    assert not (out / "plans/a/two/index.md").exists()
    assert (out / "plans/a/one/index.md").is_file()
    assert (out / "mine.md").read_text() == "not the export's"


@pytest.mark.slow
def test_site_and_export_show_the_same_plan(tmp_path: Path) -> None:
    site = build_site(tmp_path / "s", {"checkout-api/x": spec_text("example")}, strict=True)
    make_site(tmp_path / "e", {"checkout-api/x": spec_text("example")})
    out = tmp_path / "e" / "docs" / "rb"
    assert main(["export", "-f", str(tmp_path / "e/mkdocs.yml"), "-o", str(out)]) == 0
    exported = (out / "plans/checkout-api/x/index.md").read_text()
    for command in code_blocks(site.page("plans/checkout-api/x/")):
        assert (
            html.escape(command, quote=False)
            .replace("\n", "&#10;")
            .replace("{", "&#123;")
            .replace("}", "&#125;")
            in exported
        )


def test_export_without_the_plugin_in_mkdocs_yml_uses_defaults(tmp_path: Path) -> None:
    make_site(tmp_path, {"billing-worker/x": spec_text("minimal")}, config={"plugins": ["search"]})
    out = tmp_path / "docs" / "rb"
    assert main(["export", "-f", str(tmp_path / "mkdocs.yml"), "-o", str(out)]) == 0
    assert (out / "plans/billing-worker/x/index.md").is_file()


def test_export_keeps_the_jump_links_arrow_in_place(exported: Path) -> None:
    """The rollback jump link is a raw HTML block of its own in the export. Written on the
    line of the card's closing ``</div>``, Python-Markdown moved its character reference
    (the arrow, ``&#8617;``) out of the link into a stray paragraph above the plan header."""
    page = (exported / "docs/runbooks/plans/checkout-api/2026-04-21-2.10/index.md").read_text()
    body = page.split("---\n", 2)[2]
    out = markdown.markdown(body, extensions=["attr_list", "md_in_html", "tables", "toc"])
    assert '<span aria-hidden="true">&#8617;</span> Rollback</a>' in out
    assert not re.search(r"<p>(?:&#?\w+;)*&#8617;", out)
