"""Conformance with the format contract's own sample plans, where the contract is.

The contract (``deployment-plan.example.yaml`` and ``deployment-plan.minimal.yaml``) lives in
``../shared/spec/`` next to the repository in the project's workspace, not in the repository:
a clone, the sdist or a CI machine has no such folder, and these tests are skipped there with
that reason. Every other test reads the project's copies in ``tests/fixtures/contract/``.
This is the one test allowed to read outside the repository (``EXCEPTIONS`` in
tests/repo_guard.py; tests/test_00_repository.py holds the others to it).

What the contract asks (its README): both plans validate, and a site holding them passes
``mkdocs build --strict`` with the plugin's default settings.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

from mkdocs_runbooks.cli import main
from repo_guard import CONTRACT_SPEC, ROOT
from sitebuild import SPEC, code_blocks, make_site, plan_commands
from test_schema import yaml12

NAMES = ("example", "minimal")
URLS = {
    "example": "plans/checkout-api/2026-11-20-2.10/",
    "minimal": "plans/billing-worker/2026-12-01-4.2.0/",
}

pytestmark = pytest.mark.skipif(
    not CONTRACT_SPEC.is_dir(),
    reason=(
        f"the format contract's folder {CONTRACT_SPEC} (../shared/spec next to the repository) "
        "is not there: it exists only in the project's workspace; the other tests use the "
        "copies in tests/fixtures/contract/"
    ),
)


def contract(name: str) -> Path:
    return CONTRACT_SPEC / f"deployment-plan.{name}.yaml"


@pytest.mark.parametrize("name", NAMES)
def test_contract_plan_validates(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(contract(name))]) == 0, capsys.readouterr().out
    out = capsys.readouterr().out
    assert out.rstrip("\n").splitlines()[-1].startswith("1 plan checked: 1 valid, 0 invalid")
    # The JSON Schema, as an editor's YAML 1.2 language server reads the file.
    schema = json.loads((ROOT / "schema/deployment-plan.schema.json").read_text("utf-8"))
    jsonschema.validate(yaml12(contract(name).read_text("utf-8")), schema)


@pytest.mark.slow
def test_site_with_both_plans_builds_strict_with_default_settings(tmp_path: Path) -> None:
    make_site(tmp_path)  # plugins: [search, runbooks], nothing set
    for name in NAMES:
        target = tmp_path / URLS[name] / "deployment-plan.yaml"
        target.parent.mkdir(parents=True)
        shutil.copyfile(contract(name), target)
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    for name in NAMES:
        page = (tmp_path / "site" / URLS[name] / "index.html").read_text("utf-8")
        plan = yaml.safe_load(contract(name).read_text("utf-8"))
        assert code_blocks(page) == plan_commands(plan)


@pytest.mark.parametrize("name", NAMES)
def test_the_repository_copies_are_the_contract(name: str) -> None:
    copy = SPEC / f"deployment-plan.{name}.yaml"
    assert copy.read_bytes() == contract(name).read_bytes(), (
        f"tests/fixtures/contract/{copy.name} differs from {contract(name)}: copy it again"
    )
