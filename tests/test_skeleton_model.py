"""Pattern front matter and skeletons are models read like plans (values as written), and a
new plan's content is data shipped in the package, not Python literals."""

from __future__ import annotations

from pathlib import Path

from mkdocs_runbooks.patterns import load_patterns, split_front_matter
from mkdocs_runbooks.skeleton import GENERIC, SKELETON_KEYS, STANDARD_ROLES, Skeleton
from mkdocs_runbooks.skeleton import content as content_module


def test_front_matter_values_are_kept_as_written(tmp_path: Path) -> None:
    (tmp_path / "slow-roll.md").write_text(
        "---\nid: slow-roll\ntitle: 2.10\nrollback_time: 1.50\naliases: 007\n"
        "summary: !!python/object:os.system x\n---\n\n# Slow roll\n",
        encoding="utf-8",
    )
    registry = load_patterns(tmp_path)
    pattern = registry.patterns["slow-roll"]
    # YAML 1.1 would read 2.1, 1.5 and 7; a tag would run: neither happens.
    assert pattern.title == "2.10"
    assert pattern.rollback_time == "1.50"
    assert pattern.aliases == ("007",)
    meta, _body = split_front_matter("---\nx: 2.10\n---\nbody\n")
    assert meta == {"x": "2.10"}


def test_skeleton_model_names_the_keys() -> None:
    assert SKELETON_KEYS == ("parameters", "phases", "triggers", "rollback", "checklists")
    assert Skeleton.model_validate(GENERIC).phases is not None


def test_new_plan_content_is_data_files() -> None:
    here = Path(content_module.__file__).parent
    assert (here / "generic.yaml").is_file() and (here / "defaults.yaml").is_file()
    assert [p["phase"] for p in GENERIC["phases"]] == [
        "pre-deployment",
        "application-deployment",
        "smoke-testing",
        "monitoring",
    ]
    assert STANDARD_ROLES[0] == "Deployment Lead"
