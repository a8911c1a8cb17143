"""``mkdocs-runbooks schema``: the JSON Schema an editor uses for deployment-plan.yaml."""

from __future__ import annotations

import contextlib
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from mkdocs_runbooks.cli import main

DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema"


class Yaml12Loader(yaml.SafeLoader):
    """Roughly what a YAML 1.2 language server sees: no timestamps, only true/false booleans.

    So ``date: 2026-11-20`` stays a string and ``release: 2.10`` is the float 2.1.
    """


Yaml12Loader.yaml_implicit_resolvers = {
    first: [
        (tag, regexp)
        for tag, regexp in resolvers
        if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|false)$"), list("tf")
)


def yaml12(text: str) -> Any:
    return yaml.load(text, Loader=Yaml12Loader)  # a SafeLoader subclass


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    """What ``mkdocs-runbooks schema`` prints."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["schema"]) == 0
    data: dict[str, Any] = json.loads(out.getvalue())
    return data


@pytest.fixture(scope="module")
def validator(schema: dict[str, Any]) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(schema)


def errors(validator: jsonschema.Draft202012Validator, data: Any) -> list[str]:
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(data)
    ]


def models(schema: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    yield "(top level)", schema
    yield from schema["$defs"].items()


def test_loader_reads_like_yaml_1_2() -> None:
    data = yaml12("date: 2026-11-20\nrelease: 2.10\nok: true\non: yes\n")
    assert data == {"date": "2026-11-20", "release": 2.1, "ok": True, "on": "yes"}


def test_schema_is_draft_2020_12(schema: dict[str, Any]) -> None:
    assert schema["$schema"] == DRAFT_2020_12
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["type"] == "object"
    assert set(schema["required"]) >= {"service", "release", "date", "status", "risk"}


def test_every_property_has_title_and_description(schema: dict[str, Any]) -> None:
    missing = [
        f"{name}.{prop}: {sorted({'title', 'description'} - set(spec))}"
        for name, model in models(schema)
        for prop, spec in model["properties"].items()
        if not spec.get("title") or not spec.get("description")
    ]
    assert missing == []
    assert len(schema["$defs"]) >= 15


def test_every_model_rejects_unknown_keys(schema: dict[str, Any]) -> None:
    open_models = [
        name for name, model in models(schema) if model.get("additionalProperties") is not False
    ]
    assert open_models == []


@pytest.mark.parametrize("which", ["example", "minimal"])
def test_spec_files_validate_against_schema(
    which: str,
    spec_example: Path,
    spec_minimal: Path,
    validator: jsonschema.Draft202012Validator,
) -> None:
    path = spec_example if which == "example" else spec_minimal
    data = yaml12(path.read_text(encoding="utf-8"))
    assert isinstance(data["date"], str)
    assert errors(validator, data) == []


def test_unknown_keys_rejected(
    spec_minimal: Path, validator: jsonschema.Draft202012Validator
) -> None:
    data = yaml12(spec_minimal.read_text(encoding="utf-8"))
    data["phases"][0]["steps"][0]["comand"] = data["phases"][0]["steps"][0].pop("command")
    data["colour"] = "blue"
    assert sorted(errors(validator, data)) == [
        ": Additional properties are not allowed ('colour' was unexpected)",
        "phases/0/steps/0: Additional properties are not allowed ('comand' was unexpected)",
    ]


@pytest.mark.parametrize("release", ["2.10", "1.0", "4.2.0", "10"])
def test_release_read_as_a_number_is_not_flagged(
    release: str, spec_minimal: Path, validator: jsonschema.Draft202012Validator
) -> None:
    text = spec_minimal.read_text(encoding="utf-8").replace("release: 4.2.0", f"release: {release}")
    data = yaml12(text)
    if release == "2.10":
        assert data["release"] == 2.1
    assert errors(validator, data) == []


@pytest.mark.parametrize(
    ("status", "ok"),
    [("in-review", True), ("In_Review", True), ("ROLLED BACK", True), ("drafty", False)],
)
def test_enum_forms_match_the_loader(
    status: str, ok: bool, spec_minimal: Path, validator: jsonschema.Draft202012Validator
) -> None:
    data = yaml12(spec_minimal.read_text(encoding="utf-8"))
    data["status"] = status
    assert (errors(validator, data) == []) is ok


@pytest.mark.parametrize(
    ("duration", "ok"),
    [("90s", True), ("2h30m", True), ("1d", True), ("2m30h", False), ("", False)],
)
def test_duration_pattern_matches_the_loader(
    duration: str, ok: bool, spec_minimal: Path, validator: jsonschema.Draft202012Validator
) -> None:
    data = yaml12(spec_minimal.read_text(encoding="utf-8"))
    data["phases"][0]["steps"][0]["duration"] = duration
    assert (errors(validator, data) == []) is ok


def test_schema_out_writes_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], schema: dict[str, Any]
) -> None:
    target = tmp_path / "deeper" / "deployment-plan.schema.json"
    assert main(["schema", "--out", str(target)]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.strip() == f"wrote {target}"
    assert json.loads(target.read_text(encoding="utf-8")) == schema


def test_committed_schema_is_in_step_with_the_models() -> None:
    """schema/deployment-plan.schema.json is what `mkdocs-runbooks schema` prints now
    (regenerate with `mkdocs-runbooks schema --out schema/deployment-plan.schema.json`)."""
    from mkdocs_runbooks.schema import plan_schema

    committed = Path(__file__).resolve().parents[1] / "schema" / "deployment-plan.schema.json"
    assert json.loads(committed.read_text(encoding="utf-8")) == plan_schema()
