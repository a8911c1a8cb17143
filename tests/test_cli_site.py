"""Every command reads the site's ``mkdocs.yml``: ``validate``, ``render``, ``diff`` and ``new``
agree with ``mkdocs build`` on the plugin's options."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from mkdocs_runbooks.cli import main
from sitebuild import make_site, run_build, spec_text


def _site(root: Path, plugin: dict[str, object], **kw: object) -> Path:
    make_site(root, {"billing-worker/2026-12-01-4.2.0": spec_text("minimal")}, plugin=plugin, **kw)
    return root / "plans/billing-worker/2026-12-01-4.2.0/deployment-plan.yaml"


def test_validate_uses_the_sites_disable_rules(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _site(tmp_path, {"disable_rules": ["RB104"]})
    monkeypatch.chdir(tmp_path)
    assert main(["validate", "plans"]) == 0
    out = capsys.readouterr().out
    assert "RB102" in out and "RB104" not in out
    # Without the site's options (another config file), the rule is back.
    (tmp_path / "bare.yml").write_text("site_name: bare\n", encoding="utf-8")
    assert main(["validate", "--config-file", "bare.yml", "plans"]) == 0
    assert "RB104" in capsys.readouterr().out


def test_validate_and_the_build_agree_on_max_file_size(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = _site(tmp_path, {"max_file_size": 300})
    assert plan.stat().st_size > 300
    monkeypatch.chdir(tmp_path)
    assert main(["validate", "plans"]) == 1
    assert "300" in capsys.readouterr().out
    site = run_build(tmp_path, strict=True)
    assert site.aborted and any("300" in w for w in site.warnings)


def test_render_uses_the_sites_language_words_and_templates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = _site(
        tmp_path,
        {"templates_dir": "overrides", "words": {"Role": "Hat"}},
        config={"theme": {"name": "material", "language": "fr"}},
        files={"overrides/plan.gfm.j2": "# {{ t('Window') }} / {{ t('Role') }}\n"},
    )
    monkeypatch.chdir(tmp_path)
    assert main(["render", str(plan)]) == 0
    assert capsys.readouterr().out == "# Fenêtre / Hat\n"


def test_new_writes_below_the_sites_plans_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    make_site(tmp_path, plugin={"plans_dir": "runbooks"})
    monkeypatch.chdir(tmp_path)
    assert main(["new", "checkout-api", "2.11", "--pattern", "canary", "--date", "2026-12-01"]) == 0
    assert (tmp_path / "runbooks/checkout-api/2026-12-01-2.11/deployment-plan.yaml").is_file()
    capsys.readouterr()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["validate", "--config-file", "missing.yml", "plans"], "no such file: missing.yml"),
        (["validate", "--patterns-dir", "nowhere", "plans"], "no such folder: nowhere"),
        (["render", "--config-file", "broken.yml", "x.yaml"], "broken.yml: "),
        (["diff", "--config-file", "missing.yml", "a", "b"], "no such file: missing.yml"),
    ],
)
def test_site_option_errors_are_one_line_and_exit_2(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    message: str,
) -> None:
    (tmp_path / "plans").mkdir()
    (tmp_path / "x.yaml").write_text(spec_text("minimal"), encoding="utf-8")
    (tmp_path / "broken.yml").write_text(
        yaml.safe_dump({"site_name": "b", "plugins": ["no-such-plugin-here"]}), encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    assert main(args) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("mkdocs-runbooks: error: ") and message in err[0]


def test_an_unreadable_implicit_mkdocs_yml_is_a_note_and_the_defaults_apply(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A pre-commit hook's environment lacks the site's other plugins: validate still runs."""
    _site(tmp_path, {"disable_rules": ["RB104"]})
    config = yaml.safe_load((tmp_path / "mkdocs.yml").read_text(encoding="utf-8"))
    config["plugins"].append("no-such-plugin-here")
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["validate", "plans"]) == 0
    captured = capsys.readouterr()
    assert "mkdocs-runbooks: note: mkdocs.yml: " in captured.err
    assert "the plugin's defaults apply" in captured.err
    assert "RB104" in captured.out
