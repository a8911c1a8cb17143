"""Real MkDocs + Material builds in tmp_path, asserting on the HTML."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from mkdocs.config import load_config
from mkdocs.livereload import LiveReloadServer

from mkdocs_runbooks import load
from sitebuild import (
    ROOT,
    article,
    build_site,
    code_blocks,
    heading_ids,
    make_site,
    plan_commands,
    run_build,
    spec_text,
)

EXAMPLE_URL = "plans/checkout-api/2026-11-20-2.10/"


@pytest.fixture(scope="module")
def spec_site(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("spec")
    return build_site(
        root,
        {
            "checkout-api/2026-11-20-2.10": spec_text("example"),
            "billing-worker/2026-12-01-4.2.0": spec_text("minimal"),
        },
        config={
            "repo_url": "https://github.com/acme/portal",
            "edit_uri": "edit/main/docs/",
            "theme": {"name": "material", "features": ["content.action.edit"]},
        },
        strict=True,
    )


@pytest.mark.slow
def test_spec_plans_build_strict(spec_site) -> None:
    assert not spec_site.aborted, spec_site.warnings
    assert spec_site.warnings == []
    assert spec_site.exists(EXAMPLE_URL)
    assert spec_site.exists("plans/billing-worker/2026-12-01-4.2.0/")


def test_sections_in_order(spec_site) -> None:
    ids = heading_ids(spec_site.page(EXAMPLE_URL))
    wanted = [
        "top",
        # The procedure first (issue 18), then the reference about the release.
        "phase-pre-deployment",
        "step-backup",
        "step-health-before",
        "phase-database-migration",
        "phase-application-deployment",
        "phase-smoke-testing",
        "phase-monitoring",
        "checklists",
        "summary",
        "strategy",
        "risk",
        "roles",
        "migrations",
        "migration-0042",
        "migration-0043",
        "migration-rollback-plan",
        "rollback",
        "rollback-triggers",
        "rollback-procedure",
        "step-switch-back",
        "rollback-database",
        "review",
        "communications",
        "outcome",
    ]
    assert [i for i in ids if i in wanted] == wanted


def test_header_facts_and_release_as_written(spec_site) -> None:
    page = spec_site.page(EXAMPLE_URL)
    assert '<dd class="rb-release">2.10</dd>' in page
    assert '<dd class="rb-service">checkout-api</dd>' in page
    assert "rb-status-completed" in page and "rb-risk-high" in page
    # The window reads as a time, with the value as written in its datetime attribute.
    window = '<time datetime="2026-11-20T22:00:00+01:00">2026-11-20 22:00 +01:00</time> (2h30m)'
    assert window in page
    assert 'href="https://change.example.com/CHG-4821"' in page
    # Steps are numbered phase.step and carry a tick box with the step id.
    assert re.search(r'<h3[^>]*id="step-backup"[^>]*>1\.1 Back up the payments database', page)
    assert re.search(r'<h3[^>]*id="step-deploy-green"[^>]*>3\.1 Deploy 2\.10', page)
    assert 'data-rb-item="step:backup"' in page
    # Rollback is a danger block holding triggers, owner and procedure.
    block = page[page.index('<section class="rb-rollback">') : page.index("</section>")]
    # Identifiers carry wrap marks for phones (<span class="rb-brk">): compare the text.
    text = re.sub(r"<[^>]+>", "", block)
    assert 'id="rollback"' in block and "checkout_http_error_ratio" in text
    assert "Dana Kowalski (Release Manager)" in block
    assert "./lb switch checkout --to blue" in block


def test_edit_link_points_at_yaml(spec_site) -> None:
    page = spec_site.page(EXAMPLE_URL)
    assert (
        'href="https://github.com/acme/portal/edit/main/plans/checkout-api/2026-11-20-2.10/'
        'deployment-plan.yaml"' in page
    )


def test_commands_byte_for_byte_from_spec(spec_site) -> None:
    expected = plan_commands(yaml.safe_load(spec_text("example")))
    assert code_blocks(spec_site.page(EXAMPLE_URL)) == expected


HOSTILE = [
    "cat <<-EOF > /etc/app.conf\n\tkey=value   \n\t\tindented\t\nEOF\n",
    "echo **x** _x_ __y__ `date` ``` nested ``` done",
    "printf '</code><script>alert(1)</script>'",
    "helm get values {{ .Release.Name }} -o go-template='{{range .items}}{{.x}}{{end}}'",
    "{% raw %}x{% endraw %} -- --- ... \"quoted\" 'single' & && | || > < >>",
    "make all\n\n\n  trailing-blank-lines   \n\n",
    "echo 'héllo wörld ✓ — “smart”' $HOME ${VAR:-x} \\\\n",
    "\tleading-tab-only",
]


def _hostile_plan(commands: list[str]) -> str:
    plan = yaml.safe_load(spec_text("minimal"))
    plan["release"] = "4.2.0"
    plan["phases"][0]["steps"] = [
        {"id": f"s{i}", "title": f"Step {i}", "command": c, "verify": c}
        for i, c in enumerate(commands)
    ]
    return yaml.safe_dump(plan, sort_keys=False, allow_unicode=True)


@pytest.mark.slow
def test_hostile_commands_byte_for_byte(tmp_path: Path) -> None:
    site = build_site(tmp_path, {"billing-worker/x": _hostile_plan(HOSTILE)}, strict=True)
    assert not site.aborted, site.warnings
    page = site.page("plans/billing-worker/x/")
    blocks = code_blocks(page)
    assert blocks[: 2 * len(HOSTILE)] == [c for c in HOSTILE for _ in (0, 1)]
    assert "<script>alert(1)</script>" not in page
    assert "\t" in blocks[0]


@pytest.mark.slow
def test_markdown_fields_sanitised(tmp_path: Path) -> None:
    plan = yaml.safe_load(spec_text("minimal"))
    plan["summary"] = (
        "**bold** <script>alert('s')</script> <img src=x onerror=alert(1)> "
        "[click](javascript:alert(2)) {{ config.site_name }} {% if x %}y{% endif %}"
    )
    plan["strategy"]["rationale"] = '<a href="https://ok.example" onclick="alert(3)">ok</a>'
    plan["roles"][0]["name"] = "<b onmouseover=alert(4)>Eve</b> *not em* {{ x }}"
    site = build_site(tmp_path, {"billing-worker/x": yaml.safe_dump(plan)}, strict=True)
    page = site.page("plans/billing-worker/x/")
    assert "<strong>bold</strong>" in page
    for bad in ("<script>alert('s')", "onerror", "javascript:", "onclick", "<b onmouseover"):
        assert bad not in page
    assert "{{ config.site_name }}" in page and "{% if x %}" in page
    assert "&lt;b onmouseover=alert(4)&gt;Eve&lt;/b&gt; *not em* {{ x }}" in page


@pytest.mark.slow
def test_unquoted_release_shown_as_written(tmp_path: Path) -> None:
    text = spec_text("minimal").replace("release: 4.2.0", "release: 2.10")
    site = build_site(tmp_path, {"billing-worker/x": text}, strict=True)
    page = site.page("plans/billing-worker/x/")
    assert '<dd class="rb-release">2.10</dd>' in page
    assert "billing-worker 2.10" in page


BROKEN = """\
service: billing-worker
release: 1.0
date: 2026-12-01
status: draft
risk:
  level: extreme
strategy:
  pattern: rolling
  rationale: x
roles:
  - role: Lead
    name: Eve
phases:
  - phase: application-deployment
    steps:
      - title: Roll out
        comand: kubectl rollout restart deploy/x
rollback:
  owner: Eve
  triggers:
    - condition: errors
  steps:
    - title: undo
"""


@pytest.mark.slow
def test_broken_plan_among_good_ones(tmp_path: Path) -> None:
    plans = {
        "billing-worker/good": spec_text("minimal"),
        "billing-worker/broken": BROKEN,
        "checkout-api/ok": spec_text("example"),
    }
    site = build_site(tmp_path, plans)
    assert not site.aborted
    where = "plans/billing-worker/broken/deployment-plan.yaml"
    assert f"{where}:6:10: risk.level: invalid value 'extreme'" in "\n".join(site.warnings)
    assert any(f"{where}:17:9: phases[0].steps[0].comand" in w for w in site.warnings)
    assert site.exists("plans/billing-worker/good/") and site.exists("plans/checkout-api/ok/")
    error_page = site.page("plans/billing-worker/broken/")
    assert "could not be built" in error_page and "risk.level" in error_page
    assert (
        "did you mean &#39;command&#39;?" in error_page or "did you mean 'command'?" in error_page
    )
    strict = run_build(tmp_path, strict=True)
    assert strict.aborted


def test_plain_mkdocs_theme(tmp_path: Path) -> None:
    site = build_site(
        tmp_path,
        {"checkout-api/x": spec_text("example")},
        config={"theme": {"name": "mkdocs"}},
        strict=True,
    )
    assert not site.aborted, site.warnings
    page = site.page("plans/checkout-api/x/")
    assert "runbooks.css" in page and "rb-rollback" in page


def test_auto_nav_has_plans_section(spec_site) -> None:
    index = spec_site.page("")
    nav = index[: index.index('<div class="md-content"')]
    assert "Plans" in nav
    assert 'href="plans/"' in nav and 'href="plans/checkout-api/"' in nav
    assert 'href="patterns/canary/"' in nav


@pytest.mark.slow
def test_explicit_nav_expands_plans(tmp_path: Path) -> None:
    site = build_site(
        tmp_path,
        {"checkout-api/a": spec_text("example"), "billing-worker/b": spec_text("minimal")},
        config={"nav": [{"Home": "index.md"}, {"Runbooks": "plans/"}, {"Patterns": "patterns/"}]},
        strict=True,
    )
    assert not site.aborted, site.warnings
    index = site.page("")
    nav = index[: index.index('<div class="md-content"')]
    assert "Runbooks" in nav
    assert 'href="plans/checkout-api/"' in nav and 'href="plans/billing-worker/"' in nav
    assert 'href="patterns/canary/"' in nav


def test_templates_dir_overrides(tmp_path: Path) -> None:
    template = (
        "# Custom {{ plan.service|mdtext }}\n\n"
        "{% call html() %}<p class=custom>{{ plan.release }}</p>{% endcall %}\n"
    )
    site = build_site(
        tmp_path,
        {"billing-worker/x": spec_text("minimal")},
        plugin={"templates_dir": "overrides"},
        files={"overrides/plan.md.j2": template},
        strict=True,
    )
    page = site.page("plans/billing-worker/x/")
    assert "Custom billing-worker" in page and "<p class=custom>4.2.0</p>" in page


@pytest.mark.slow
def test_rebuild_picks_up_added_edited_and_deleted_plans(tmp_path: Path) -> None:
    make_site(tmp_path, {"billing-worker/a": spec_text("minimal")})
    cfg = load_config(str(tmp_path / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    from mkdocs.commands.build import build

    cfg.plugins.on_startup(command="serve", dirty=False)
    build(cfg)
    assert (tmp_path / "site/plans/billing-worker/a/index.html").is_file()
    second = tmp_path / "plans/billing-worker/b/deployment-plan.yaml"
    second.parent.mkdir(parents=True)
    second.write_text(spec_text("minimal").replace("4.2.0", "4.3.0"), encoding="utf-8")
    first = tmp_path / "plans/billing-worker/a/deployment-plan.yaml"
    first.write_text(
        spec_text("minimal").replace("Roll out 4.2.0", "Roll out again"), encoding="utf-8"
    )
    shutil.rmtree(tmp_path / "site")
    build(cfg)
    assert "Roll out again" in (tmp_path / "site/plans/billing-worker/a/index.html").read_text()
    assert (tmp_path / "site/plans/billing-worker/b/index.html").is_file()
    shutil.rmtree(tmp_path / "plans/billing-worker/b")
    shutil.rmtree(tmp_path / "site")
    build(cfg)
    assert not (tmp_path / "site/plans/billing-worker/b/index.html").exists()
    plugin = cfg.plugins["runbooks"]
    assert set(plugin.pages) >= {"plans/billing-worker/a/index.md"}
    assert "plans/billing-worker/b/index.md" not in plugin.pages


def test_serve_watches_plans_and_patterns(tmp_path: Path) -> None:
    make_site(
        tmp_path,
        {"billing-worker/a": spec_text("minimal")},
        files={"patterns/custom.md": "---\nid: custom\n---\n# Custom\n"},
    )
    cfg = load_config(str(tmp_path / "mkdocs.yml"))
    cfg.plugins.on_config(cfg)
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    cfg.plugins.on_serve(server, config=cfg, builder=lambda: None)
    watched = {Path(p).resolve() for p in server._watched_paths}
    assert (tmp_path / "plans").resolve() in watched
    assert (tmp_path / "patterns").resolve() in watched


@pytest.mark.slow
def test_example_portal_builds_strict_with_mkdocs_and_properdocs(tmp_path: Path) -> None:
    plan = yaml.safe_load(
        (ROOT / "plans/checkout-api/2026-04-21-2.10/deployment-plan.yaml").read_text("utf-8")
    )
    for tool in ("mkdocs", "properdocs"):
        exe = Path(sys.executable).with_name(tool)
        out = tmp_path / tool
        result = subprocess.run(
            [str(exe), "build", "--strict", "--site-dir", str(out)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stderr[-3000:]
        page = (out / "plans/checkout-api/2026-04-21-2.10/index.html").read_text()
        # The plan's unquoted `release: 2.10` as written (the page address holds "2.10" anyway).
        assert '<dd class="rb-release">2.10</dd>' in page
        assert code_blocks(page) == plan_commands(plan)


@pytest.mark.slow
def test_dirty_rebuild_renders_only_changed_pages(tmp_path: Path) -> None:
    """Under `mkdocs serve --dirty` (a persistent plugin), editing one plan rebuilds its page
    and the pages whose content shows it, not every plan page."""
    from mkdocs.commands.build import build

    plans = {
        f"svc{i % 2}/p{i}": spec_text("minimal")
        .replace("4.2.0", f"4.{i}.0")
        .replace("2026-12-01", f"2026-12-{i + 1:02d}")
        .replace("billing-worker", f"svc{i % 2}")
        for i in range(6)
    }
    make_site(tmp_path, plans)
    cfg = load_config(str(tmp_path / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    cfg.plugins.on_startup(command="serve", dirty=True)
    build(cfg, dirty=True)
    html_files = sorted((tmp_path / "site").rglob("index.html"))
    before = {p: p.stat().st_mtime_ns for p in html_files}
    edited = tmp_path / "plans/svc1/p3/deployment-plan.yaml"
    edited.write_text(edited.read_text().replace("Roll out 4.3.0", "Roll out 4.3.0 again"))
    build(cfg, dirty=True)
    rebuilt = {
        p.relative_to(tmp_path / "site").as_posix()
        for p in html_files
        if p.stat().st_mtime_ns != before[p]
    }
    assert "plans/svc1/p3/index.html" in rebuilt
    assert "plans/svc1/p1/index.html" not in rebuilt and "plans/svc0/p2/index.html" not in rebuilt
    assert "Roll out 4.3.0 again" in (tmp_path / "site/plans/svc1/p3/index.html").read_text()


@pytest.mark.slow
def test_serve_rebuild_shows_an_edited_template_override(tmp_path: Path) -> None:
    """Under `mkdocs serve` (a persistent plugin with its page cache), editing a template
    override re-renders the plan pages: the cache keys pages by the templates too."""
    from mkdocs.commands.build import build

    template = "# Override one {{ plan.service|mdtext }}\n"
    make_site(
        tmp_path,
        {"billing-worker/x": spec_text("minimal")},
        plugin={"templates_dir": "overrides"},
        files={"overrides/plan.md.j2": template},
    )
    cfg = load_config(str(tmp_path / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    cfg.plugins.on_startup(command="serve", dirty=False)
    build(cfg)
    page = tmp_path / "site/plans/billing-worker/x/index.html"
    assert "Override one" in page.read_text(encoding="utf-8")
    (tmp_path / "overrides/plan.md.j2").write_text(
        template.replace("Override one", "Override two"), encoding="utf-8"
    )
    build(cfg)
    text = page.read_text(encoding="utf-8")
    assert "Override two" in text and "Override one" not in text


def _shown(site: Path) -> dict[str, str]:
    """What a built site shows of the portal: each page's ``<article>`` (the nav and search
    index are MkDocs' and the theme's) and the plugin's other files, by path."""
    out: dict[str, str] = {}
    for path in sorted(site.rglob("*")):
        rel = path.relative_to(site).as_posix()
        if not path.is_file() or not rel.startswith(
            ("plans/", "quality/", "patterns/", "insights/")
        ):
            continue
        if path.suffix == ".html":
            out[rel] = article(path.read_text(encoding="utf-8"))
        elif path.suffix in (".json", ".ics", ".svg"):
            out[rel] = path.read_text(encoding="utf-8")
    return out


@pytest.mark.slow
def test_serve_rebuilds_show_what_a_fresh_build_shows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Under `mkdocs serve --dirty` the plugin reuses plans, findings, plan pages and the
    portal's shared pages and files (index, histories, patterns, quality, insights, feeds)
    when nothing they show changed: after each kind of edit, every page and file shows
    exactly what a fresh build of the same plans shows. Files are trusted by their status
    at once (not after two seconds, see load.LoadCache), so that the edits are seen by
    their status, not by reading every file again."""
    monkeypatch.setattr(load, "_SETTLED_NS", 0)
    example = spec_text("example")
    plans = {
        f"svc{i % 2}/p{i}": example.replace("service: checkout-api", f"service: svc{i % 2}")
        .replace('release: "2.10"', f'release: "2.{i}"')
        .replace("date: 2026-11-20", f"date: 2026-11-{10 + i:02d}")
        for i in range(5)
    }
    served = tmp_path / "served"
    make_site(served, plans)
    p1 = served / "plans/svc1/p1/deployment-plan.yaml"
    p3 = served / "plans/svc1/p3/deployment-plan.yaml"
    step_title = _edit(p3, "Back up the payments database", "Back up every payments database")
    steps = [
        # What only the plan's page shows: a step's title.
        step_title,
        # A placeholder in a step: a finding (quality page, index, verdicts).
        _edit(p3, "Back up every payments database", '"TODO: back up the payments database"'),
        # A step's duration (planned durations of the insights).
        _edit(p1, "duration: 15m", "duration: 25m"),
        # The status: the index, the history, the feeds, the neighbours' links.
        _edit(p1, "status: completed", "status: approved"),
    ]
    last: list[Any] = []

    def shared_reused_only_for_a_step_title(step: Any, cache: Any) -> None:
        assert cache.shared is not None
        if step is not None:
            # The step's title alone left the shared pages as they were: reused, not re-made.
            assert (cache.shared is last[-1]) == (step is step_title), step.__doc__
        last.append(cache.shared)

    _serve_and_compare(
        tmp_path, served, steps, dirty=True, after=shared_reused_only_for_a_step_title
    )


def _serve_and_compare(
    tmp_path: Path,
    served: Path,
    steps: list[Any],
    *,
    dirty: bool,
    leftovers: bool = False,
    after: Any = None,
) -> None:
    """Build ``served`` as `mkdocs serve` does (``--dirty`` or not), then after each step (a
    function changing its files) rebuild it and check that every page's article (the site's
    home page included) and the plugin's files equal a fresh build's of the same files.
    With ``leftovers`` (steps that delete plans under ``--dirty``, which never removes what
    an earlier build wrote), files a fresh build does not make may stay. ``after(step,
    cache)`` is called after each rebuild with the plugin's serve cache (the one plugin
    instance of this process)."""
    from mkdocs.commands.build import build

    def rebuild() -> Any:
        cfg = load_config(str(served / "mkdocs.yml"), site_dir=str(served / "site"))
        cfg.plugins.on_startup(command="serve", dirty=dirty)
        build(cfg, dirty=dirty)
        return cfg.plugins["runbooks"].cache

    if after is not None:
        after(None, rebuild())
    else:
        rebuild()
    for number, step in enumerate(steps):
        step()
        cache = rebuild()
        if after is not None:
            after(step, cache)
        fresh = tmp_path / f"fresh{number}"
        shutil.copytree(served, fresh, ignore=shutil.ignore_patterns("site"))
        run_build(fresh)
        got, want = _shown(served / "site"), _shown(fresh / "site")
        got["index.html"] = article((served / "site/index.html").read_text(encoding="utf-8"))
        want["index.html"] = article((fresh / "site/index.html").read_text(encoding="utf-8"))
        if leftovers:
            assert got.keys() >= want.keys(), (step.__doc__, want.keys() - got.keys())
        else:
            assert got.keys() == want.keys(), (step.__doc__, got.keys() ^ want.keys())
        differ = [k for k in want if got[k] != want[k]]
        assert not differ, (step.__doc__, differ)


def _edit(path: Path, old: str, new: str) -> Any:
    def step() -> None:
        text = path.read_text(encoding="utf-8")
        assert old in text, (path, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    step.__doc__ = f"{path.name}: {old!r} -> {new!r}"
    return step


@pytest.mark.slow
@pytest.mark.parametrize("dirty", [True, False], ids=["dirty", "clean"])
def test_serve_keeps_up_with_edits_a_plan_page_does_not_show(tmp_path: Path, dirty: bool) -> None:
    """Edits whose effect is outside the edited plan's page: the upcoming list on the site's
    own home page, a name two patterns share after a pattern file is renamed, the plan
    file's own name (the edit link), and the plans folder going away."""
    upcoming = (
        spec_text("example")
        .replace("date: 2026-11-20", "date: 2099-01-15")
        .replace("status: completed", "status: approved")
    )
    served = tmp_path / "served"
    alias = "aliases: [shared]\n"
    make_site(
        served,
        {"svc/2099-01-15-2.10": upcoming},
        docs={"index.md": "# Home\n\nComing up:\n\n<!-- runbooks:upcoming -->\n"},
        config={
            "theme": {"name": "material", "features": ["content.action.edit"]},
            "repo_url": "https://example.com/repo",
            "edit_uri": "edit/main/docs/",
        },
        files={
            f"patterns/zz-{pid}.md": f"---\nid: {pid}\ntitle: {pid.title()}\n{alias}---\n"
            for pid in ("alpha", "beta")
        },
    )
    plan = served / "plans/svc/2099-01-15-2.10/deployment-plan.yaml"
    text = plan.read_text(encoding="utf-8")
    plan.write_text(re.sub(r"pattern: [\w-]+", "pattern: shared", text, count=1), encoding="utf-8")

    def rename_pattern() -> None:
        """zz-beta.md -> aa-beta.md: alpha now loads last and owns the shared name."""
        (served / "patterns/zz-beta.md").rename(served / "patterns/aa-beta.md")

    def rename_plan_file() -> None:
        """deployment-plan.yaml -> .yml, same bytes."""
        plan.rename(plan.with_suffix(".yml"))

    def remove_plans() -> None:
        """Every plan deleted, the plans folder kept."""
        shutil.rmtree(served / "plans")
        (served / "plans").mkdir()

    def remove_plans_folder() -> None:
        """The (empty) plans folder removed."""
        (served / "plans").rmdir()

    steps = [
        _edit(plan, "status: approved", "status: in-review"),
        rename_pattern,
        rename_plan_file,
        remove_plans,
        remove_plans_folder,
    ]
    _serve_and_compare(tmp_path, served, steps, dirty=dirty, leftovers=dirty)


@pytest.mark.slow
def test_serve_dirty_rewrites_plan_pages_when_the_search_engine_changes(tmp_path: Path) -> None:
    """`search: auto` switches to Pagefind when a plan crosses `search_threshold`; every plan
    page carries the engine's marks, so `--dirty` must write the unchanged ones again."""
    pytest.importorskip("pagefind")
    from mkdocs.commands.build import build

    first = spec_text("example")
    # Another service: nothing on the first plan's page changes with it (no newer link).
    second = first.replace("service: checkout-api", "service: ledger-api")
    served = tmp_path / "served"
    make_site(served, {"svc/a": first}, plugin={"search": "auto", "search_threshold": 1})
    page = served / "site/plans/svc/a/index.html"

    def rebuild() -> Any:
        cfg = load_config(str(served / "mkdocs.yml"), site_dir=str(served / "site"))
        cfg.plugins.on_startup(command="serve", dirty=True)
        build(cfg, dirty=True)
        return cfg.plugins["runbooks"]

    rebuild()
    assert "data-pagefind-body" not in page.read_text(encoding="utf-8")
    (served / "plans/svc/b").mkdir(parents=True)
    (served / "plans/svc/b/deployment-plan.yaml").write_text(second, encoding="utf-8")
    plugin = rebuild()
    plugin.indexer.stop()
    assert plugin.search_engine == "pagefind"
    assert "data-pagefind-body" in page.read_text(encoding="utf-8")


@pytest.mark.slow
@pytest.mark.parametrize(
    "plugins",
    [["search", "runbooks"], ["search", "runbooks", "tags"]],
    ids=["runbooks", "tags-after-runbooks"],
)
def test_serve_collects_between_builds_and_frees_each_builds_pages(
    tmp_path: Path, plugins: list[str]
) -> None:
    """Under `serve`, after the first build, Python starts no full collection by itself: the
    plugin makes one between builds (serving.Collector; a full collection over 10,000 kept
    plans took seconds, in the middle of a rebuild). Every build's pages are still freed,
    with Material's tags plugin too, which holds the last build's pages until its own
    on_config (nothing is frozen); `on_shutdown` puts Python's thresholds back."""
    import gc
    import weakref

    from mkdocs.commands.build import build

    thresholds = gc.get_threshold()
    make_site(
        tmp_path,
        {"svc/a": spec_text("example"), "svc/b": spec_text("minimal")},
        config={"plugins": plugins},
        docs={"tagged.md": "---\ntags: [one]\n---\n# Tagged\n"},
    )
    plan = tmp_path / "plans/svc/a/deployment-plan.yaml"

    def rebuild() -> Any:
        cfg = load_config(str(tmp_path / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
        cfg.plugins.on_startup(command="serve", dirty=True)
        cfg.plugins["runbooks"].collector.delay = 3600  # collected when the next build starts
        build(cfg, dirty=True)
        return cfg

    def page_of(cfg: Any, src_uri: str) -> Any:
        return weakref.ref(cfg.plugins["runbooks"].plan_files[src_uri][2].page)

    cfg = rebuild()
    plugin = cfg.plugins["runbooks"]
    src = next(uri for uri in plugin.pages if uri.startswith("plans/svc/a/"))
    first, rendered = page_of(cfg, src), weakref.ref(plugin.pages[src])
    assert gc.get_threshold()[2] > 10**6, "Python still starts full collections itself"
    _edit(plan, "Back up the payments database", "Back up the payments database now")()
    full = gc.get_stats()[2]["collections"]
    cfg = rebuild()
    assert gc.get_stats()[2]["collections"] == full + 1, "one full collection, as it starts"
    assert first() is None, "the first build's page outlived the second build's start"
    second = page_of(cfg, src)
    rebuild()
    assert second() is None and rendered() is None, "a page of an earlier build is still held"
    plugin.on_shutdown()
    assert gc.get_threshold() == thresholds


@pytest.mark.slow
def test_serve_keeps_the_themes_compiled_templates_and_sees_an_edited_override(
    tmp_path: Path,
) -> None:
    """Under `serve` the theme's compiled templates are kept between builds (MkDocs compiles
    them again for each one); an override edited in `custom_dir` is still used at once."""
    from mkdocs.commands.build import build

    override = tmp_path / "overrides/main.html"
    make_site(
        tmp_path,
        {"svc/a": spec_text("minimal")},
        config={"theme": {"name": "material", "custom_dir": "overrides"}},
        files={
            "overrides/main.html": '{% extends "base.html" %}\n'
            "{% block content %}<p>MARK-ONE</p>{{ super() }}{% endblock %}\n"
        },
    )

    def rebuild() -> Any:
        cfg = load_config(str(tmp_path / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
        cfg.plugins.on_startup(command="serve", dirty=False)
        build(cfg)
        return cfg.plugins["runbooks"]

    plugin = rebuild()
    home = tmp_path / "site/index.html"
    assert "MARK-ONE" in home.read_text(encoding="utf-8")
    kept = dict(plugin.template_code.code)
    assert kept  # the theme's templates, compiled once
    rebuild()
    assert plugin.template_code.code == kept  # nothing compiled again
    override.write_text(override.read_text(encoding="utf-8").replace("ONE", "TWO"))
    rebuild()
    page = home.read_text(encoding="utf-8")
    assert "MARK-TWO" in page and "MARK-ONE" not in page
    assert plugin.template_code.code != kept


@pytest.mark.slow
def test_serve_compiles_a_template_again_when_a_filter_changes_kind(tmp_path: Path) -> None:
    """Jinja compiles a filter call by what the filter is (does it take the context?): a
    hook switched in mkdocs.yml to one whose filter takes the context must not meet the
    template compiled for the plain one under `serve`. (Found by an outside review.)"""
    from mkdocs.commands.build import build

    make_site(tmp_path, {"svc/a": spec_text("minimal")})
    (tmp_path / "overrides").mkdir()
    (tmp_path / "overrides/main.html").write_text(
        '{% extends "base.html" %}{% block content %}'
        '<p id="shout">{{ page.title | shout }}</p>{{ super() }}{% endblock %}',
        encoding="utf-8",
    )
    (tmp_path / "plain.py").write_text(
        "def on_env(env, config, files):\n    env.filters['shout'] = lambda s: str(s) + '!'\n",
        encoding="utf-8",
    )
    (tmp_path / "withcontext.py").write_text(
        "import jinja2\n\n\n@jinja2.pass_context\ndef shout(ctx, s):\n    return str(s) + '?'\n\n\n"
        "def on_env(env, config, files):\n    env.filters['shout'] = shout\n",
        encoding="utf-8",
    )
    config_path = tmp_path / "mkdocs.yml"
    cfg = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    cfg["theme"]["custom_dir"] = "overrides"
    shown = []
    for hook in ("plain.py", "withcontext.py", "plain.py"):
        cfg["hooks"] = [hook]
        config_path.write_text(yaml.safe_dump(cfg), encoding="utf-8")
        served = load_config(str(config_path), site_dir=str(tmp_path / "site"))
        served.plugins.on_startup(command="serve", dirty=False)
        build(served)
        home = (tmp_path / "site/index.html").read_text(encoding="utf-8")
        shown += re.findall(r'<p id="shout">([^<]*)', home)
    assert shown == ["Home!", "Home?", "Home!"]


def test_plain_serve_keeps_pythons_own_garbage_collections(tmp_path: Path) -> None:
    """A plain `serve` rebuilds every page, as `mkdocs build` does: Python's own full
    collections stay (without them a build's peak memory grew by 14%)."""
    import gc

    from mkdocs.commands.build import build

    thresholds = gc.get_threshold()
    make_site(tmp_path, {"svc/a": spec_text("minimal")})
    for _ in range(2):
        cfg = load_config(str(tmp_path / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
        cfg.plugins.on_startup(command="serve", dirty=False)
        build(cfg)
    assert gc.get_threshold() == thresholds


@pytest.mark.parametrize("option", ["plans_url", "patterns_url", "quality_url", "insights_url"])
@pytest.mark.parametrize("value", ["../escaped", "plans/../../escaped", "ABSOLUTE"])
def test_an_address_prefix_outside_the_site_is_refused(
    tmp_path: Path, option: str, value: str
) -> None:
    """The *_url options are addresses inside the site: one that climbs out of it or is
    absolute (`/plans/` wrote the plan pages to /plans/ at the root of the machine's file
    system) stops the build with a configuration error, and nothing is written outside."""
    root = tmp_path / "project"
    value = str(tmp_path / "escaped") if value == "ABSOLUTE" else value
    make_site(root, {"checkout-api/2026-11-20-2.10": spec_text("example")}, plugin={option: value})
    site = run_build(root)
    assert site.aborted, site.warnings
    assert any(option in w for w in site.warnings), site.warnings
    assert sorted(p.name for p in tmp_path.iterdir()) == ["project"]
    assert sorted(p.name for p in root.iterdir()) == ["docs", "mkdocs.yml", "plans"]
