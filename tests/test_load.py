"""Loading and validating plan files: every problem is ``FILE:LINE:COL: key.path: message``."""

from __future__ import annotations

import itertools
import shutil
import textwrap
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from mkdocs_runbooks.fields import duration_seconds
from mkdocs_runbooks.load import LoadedPlan, discover, load_plan, load_plans
from mkdocs_runbooks.patterns import load_patterns
from mkdocs_runbooks.yamlnodes import Limits
from sitebuild import spec_text

REGISTRY = load_patterns()
F = "plans/svc/r1/deployment-plan.yaml"
"""Where the ``load`` fixture writes the plan, and so the FILE part of every problem."""

# A small valid plan; tests change single lines, so these line numbers hold in every test.
BASE = textwrap.dedent(
    """\
    service: billing-worker
    release: 4.2.0
    date: 2026-12-01
    status: draft
    risk:
      level: low
    strategy:
      pattern: rolling
      rationale: Stateless worker, backward-compatible change.
    roles:
      - role: Deployment Lead
        name: Eve Laurent
    phases:
      - phase: application-deployment
        steps:
          - title: Roll out 4.2.0
            command: kubectl -n billing rollout restart deploy/billing-worker
    rollback:
      owner: Eve Laurent
      triggers:
        - condition: Worker error rate above 2% for 10 minutes
      steps:
        - title: Roll back to the previous ReplicaSet
          command: kubectl -n billing rollout undo deploy/billing-worker
    """
)
STEP = "      - title: Roll out 4.2.0\n"
COMMAND = "        command: kubectl -n billing rollout restart deploy/billing-worker\n"


def edit(old: str, new: str, text: str = BASE) -> str:
    """``text`` with the one occurrence of ``old`` replaced."""
    assert text.count(old) == 1, f"{old!r} must occur once"
    return text.replace(old, new)


Load = Callable[..., LoadedPlan]


@pytest.fixture
def load(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Load:
    """Write text (or bytes) to ``tmp_path/F`` and load it, with ``tmp_path`` as cwd."""
    monkeypatch.chdir(tmp_path)

    def _load(content: str | bytes, **kw: object) -> LoadedPlan:
        path = tmp_path / F
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return load_plan(path, REGISTRY, **kw)  # type: ignore[arg-type]

    return _load


def texts(loaded: LoadedPlan) -> list[str]:
    return [p.text() for p in loaded.problems]


def problem(loaded: LoadedPlan, start: str) -> str:
    """The one problem line that starts with ``start`` (fails when there is none)."""
    found = [t for t in texts(loaded) if t.startswith(start)]
    assert found, f"no problem starting with {start!r}; got {texts(loaded)}"
    assert len(found) == 1, found
    return found[0]


def valid(loaded: LoadedPlan) -> LoadedPlan:
    assert texts(loaded) == []
    assert loaded.ok and loaded.plan is not None
    return loaded


# --- the contract's own files --------------------------------------------------------------------


def test_base_plan_of_these_tests_is_valid(load: Load) -> None:
    valid(load(BASE))


@pytest.mark.parametrize("which", ["example", "minimal"])
def test_spec_files_validate(
    which: str, spec_example: Path, spec_minimal: Path, tmp_path: Path
) -> None:
    source = spec_example if which == "example" else spec_minimal
    path = tmp_path / "plans" / which / "deployment-plan.yaml"
    path.parent.mkdir(parents=True)
    shutil.copy(source, path)

    plans, ignored = load_plans(tmp_path / "plans", REGISTRY, display_root=tmp_path)

    assert ignored == []
    assert [texts(p) for p in plans] == [[]]
    assert plans[0].ok
    assert plans[0].display == f"plans/{which}/deployment-plan.yaml"
    assert plans[0].folder == which


def test_example_keeps_values_as_written(spec_example: Path) -> None:
    plan = valid(load_plan(spec_example, REGISTRY)).plan
    assert plan is not None
    assert plan.release == "2.10"
    assert plan.migrations is not None
    assert [m.id for m in plan.migrations.items] == ["0042", "0043"]
    assert plan.strategy.pattern == "blue-green"
    assert plan.phases[0].steps[0].command == (
        'pg_dump --format=custom --file=/backups/checkout-2.10.dump "$DB_URL"\n'
    )


# --- keys ----------------------------------------------------------------------------------------


def test_unknown_key_suggests_nearest(load: Load) -> None:
    loaded = load(edit("        command:", "        comand:"))
    assert texts(loaded) == [
        f"{F}:17:9: phases[0].steps[0].comand: unknown key 'comand'; did you mean 'command'?"
    ]
    assert loaded.plan is None


def test_unknown_key_without_close_match_lists_allowed(load: Load) -> None:
    loaded = load(edit("  level: low\n", "  level: low\n  zzz: 1\n"))
    line = problem(loaded, f"{F}:7:3: risk.zzz: unknown key 'zzz' (allowed: level, ")
    assert "rollback_complexity" in line


def test_duplicate_key_is_an_error_not_last_one_wins(load: Load) -> None:
    loaded = load(edit("status: draft\n", "status: draft\nstatus: approved\n"))
    assert texts(loaded) == [
        f"{F}:5:1: status: duplicate key 'status' (first at line 4); "
        "a key may appear once in a mapping"
    ]
    assert loaded.plan is None
    assert not loaded.ok


def test_duplicate_key_nested(load: Load) -> None:
    loaded = load(edit(COMMAND, COMMAND + "        command: rm -rf /\n"))
    problem(
        loaded, f"{F}:18:9: phases[0].steps[0].command: duplicate key 'command' (first at line 17)"
    )
    assert loaded.plan is None


# --- field types ---------------------------------------------------------------------------------


def test_bad_enum_lists_allowed_values(load: Load) -> None:
    loaded = load(edit("status: draft", "status: drafty"))
    assert texts(loaded) == [
        f"{F}:4:9: status: invalid value 'drafty'; allowed: draft, in-review, approved, "
        "scheduled, in-progress, completed, rolled-back, cancelled"
    ]


def test_bad_nested_enum(load: Load) -> None:
    loaded = load(edit("  level: low", "  level: extreme"))
    problem(
        loaded,
        f"{F}:6:10: risk.level: invalid value 'extreme'; allowed: low, medium, high, critical",
    )


@pytest.mark.parametrize(
    ("written", "kept"),
    [
        ("In_Review", "in-review"),
        ("ROLLED BACK", "rolled-back"),
        ("in progress", "in-progress"),
        ("Approved", "approved"),
        ("'  Scheduled '", "scheduled"),
    ],
)
def test_enum_case_and_separators_normalised(load: Load, written: str, kept: str) -> None:
    plan = valid(load(edit("status: draft", f"status: {written}"))).plan
    assert plan is not None
    assert plan.status == kept


def test_other_enums_and_phase_ids_normalised(load: Load) -> None:
    text = edit("  level: low", "  level: HIGH\n  user_impact: Moderate")
    text = edit("phase: application-deployment", "phase: Application_Deployment", text)
    plan = valid(load(text)).plan
    assert plan is not None
    assert (plan.risk.level, plan.risk.user_impact) == ("high", "moderate")
    assert plan.phases[0].phase == "application-deployment"


@pytest.mark.parametrize("written", ["2026-13-01", "01/12/2026", "20261201", "2026-12-01T10:00:00"])
def test_bad_date(load: Load, written: str) -> None:
    loaded = load(edit("date: 2026-12-01", f"date: {written}"))
    assert texts(loaded) == [
        f"{F}:3:7: date: invalid date '{written}': use YYYY-MM-DD, for example 2026-11-20"
    ]


def test_bad_date_time_has_its_own_message(load: Load) -> None:
    loaded = load(edit("status: draft\n", "status: draft\nwindow:\n  start: tonight\n"))
    assert texts(loaded) == [
        f"{F}:6:10: window.start: invalid date-time 'tonight': use ISO 8601, "
        "for example 2026-11-20T22:00:00+01:00"
    ]


@pytest.mark.parametrize(
    "written", ["Billing_Worker", "billing worker", "-billing", "billing.worker"]
)
def test_bad_slug(load: Load, written: str) -> None:
    loaded = load(edit("service: billing-worker", f"service: '{written}'"))
    problem(loaded, f"{F}:1:10: service: invalid slug '{written}': use lowercase letters, digits")


@pytest.mark.parametrize(
    ("written", "seconds"), [("90s", 90), ("45m", 2700), ("2h30m", 9000), ("1d", 86400)]
)
def test_valid_durations(load: Load, written: str, seconds: int) -> None:
    plan = valid(load(edit(COMMAND, COMMAND + f"        duration: {written}\n"))).plan
    assert plan is not None
    assert plan.phases[0].steps[0].duration == written
    assert duration_seconds(written) == seconds


@pytest.mark.parametrize("written", ["2m30h", "abc", "90", "1:30", "5 min", "''"])
def test_invalid_durations(load: Load, written: str) -> None:
    loaded = load(edit(COMMAND, COMMAND + f"        duration: {written}\n"))
    shown = written.strip("'")
    assert texts(loaded) == [
        f"{F}:18:19: phases[0].steps[0].duration: invalid duration '{shown}': use a number "
        "with a unit s, m, h or d, largest first (for example 90s, 45m, 2h30m, 1d)"
    ]


@pytest.mark.parametrize("written", ["2m30h", "abc", "", "1:30"])
def test_duration_seconds_rejects(written: str) -> None:
    with pytest.raises(ValueError):
        duration_seconds(written)


# --- YAML syntax and safety ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "where"),
    [
        # the first line of a block indented with a tab
        ("risk:\n  level: low\n", "risk:\n\tlevel: low\n", "6:1"),
        # a tab-indented key after space-indented ones
        ("  level: low\n", "  level: low\n\tnotes: x\n", "7:1"),
    ],
)
def test_tab_indentation_advises_spaces(load: Load, old: str, new: str, where: str) -> None:
    loaded = load(edit(old, new))
    assert texts(loaded) == [f"{F}:{where}: tab character: YAML indents with spaces, not tabs"]


def test_unquoted_colon_space_advises_quotes_or_block(load: Load) -> None:
    loaded = load(edit(COMMAND, "        command: echo status: ok\n"))
    line = problem(loaded, f"{F}:17:29: a ': ' inside an unquoted value starts a new mapping")
    assert "quote the value" in line
    assert "(key: |)" in line


def test_quoted_and_block_colon_values_are_fine(load: Load) -> None:
    text = edit(
        COMMAND, "        command: 'echo status: ok'\n        verify: |\n          grep 'a: b' x\n"
    )
    plan = valid(load(text)).plan
    assert plan is not None
    step = plan.phases[0].steps[0]
    assert (step.command, step.verify) == ("echo status: ok", "grep 'a: b' x\n")


def test_python_tag_is_refused_and_never_run(load: Load, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    payload = f"!!python/object/apply:os.system ['touch {marker}']"
    loaded = load(edit("status: draft\n", f"status: draft\nsummary: {payload}\n"))

    problem(
        loaded,
        f"{F}:5:10: summary: YAML tag '!!python/object/apply:os.system' is not allowed: "
        "a plan is plain data",
    )
    assert loaded.plan is None
    assert not marker.exists()


def test_python_tag_payload_would_create_the_marker(tmp_path: Path) -> None:
    # Control for the test above: the same document does run with an unsafe loader.
    marker = tmp_path / "pwned-control"
    yaml.unsafe_load(f"summary: !!python/object/apply:os.system ['touch {marker}']\n")
    assert marker.exists()


@pytest.mark.parametrize(("tag", "shown"), [("!!binary aGk=", "!!binary"), ("!Ref x", "!Ref")])
def test_other_tags_are_refused(load: Load, tag: str, shown: str) -> None:
    loaded = load(edit("status: draft\n", f"status: draft\nsummary: {tag}\n"))
    problem(loaded, f"{F}:5:10: summary: YAML tag '{shown}' is not allowed")


@pytest.mark.slow
def test_alias_bomb_is_refused_fast(load: Load) -> None:
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    names = "abcdefghi"
    for prev, name in itertools.pairwise(names):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    bomb = "\n".join(lines) + "\n"  # 9 levels of 9: 9**9 strings when expanded

    # Refused before it is expanded: the load stays small (9**9 strings would take gigabytes).
    # Memory, not time: a timed assertion fails on a busy machine (speed is for benchmarks/).
    tracemalloc.start()
    try:
        loaded = load(bomb)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    assert peak < 256 * 2**20, f"{peak / 2**20:.0f} MiB"  # refused: ~45 MiB; 6 levels: 130 MiB
    assert texts(loaded) == [
        f"{F}:1:1: the file expands to more than 200,000 values (aliases that repeat "
        "aliases?); plans are small, so it is refused"
    ]


def test_small_aliases_are_fine(load: Load) -> None:
    text = edit("  owner: Eve Laurent\n", "  owner: *lead\n")
    text = edit("    name: Eve Laurent\n", "    name: &lead Eve Laurent\n", text)
    plan = valid(load(text)).plan
    assert plan is not None
    assert plan.rollback.owner == "Eve Laurent"


def test_non_utf8_byte_reports_line_and_column(load: Load) -> None:
    raw = BASE.encode().replace(b"release: 4.2.0", b'release: "caf\xe9"')
    assert texts(load(raw)) == [f"{F}:2:14: byte 0xe9 is not UTF-8: save the file as UTF-8"]


def test_non_utf8_column_counts_characters(load: Load) -> None:
    # 'é' is two bytes but one column, as in the YAML parser's own columns.
    raw = BASE.encode().replace(b"release: 4.2.0", 'release: "é'.encode() + b'\xff"')
    assert texts(load(raw)) == [f"{F}:2:12: byte 0xff is not UTF-8: save the file as UTF-8"]


def test_non_utf8_after_bom(load: Load) -> None:
    raw = b"\xef\xbb\xbf" + BASE.encode().replace(b"release: 4.2.0", b"release: 4.2\xe9")
    assert texts(load(raw)) == [f"{F}:2:13: byte 0xe9 is not UTF-8: save the file as UTF-8"]


def test_bom_is_accepted(load: Load) -> None:
    valid(load(b"\xef\xbb\xbf" + BASE.encode()))


@pytest.mark.parametrize("content", ["", "\n\n  \n", "# only a comment\n", "# a\n# b\n"])
def test_empty_file(load: Load, content: str) -> None:
    loaded = load(content)
    assert len(loaded.problems) == 1
    problem(loaded, f"{F}:1:1: the file is empty")
    assert loaded.plan is None


@pytest.mark.parametrize(
    ("content", "found"), [("- a\n- b\n", "a list"), ("just text\n", "'just text'")]
)
def test_top_level_must_be_a_mapping(load: Load, content: str, found: str) -> None:
    assert texts(load(content)) == [
        f"{F}:1:1: a plan is a mapping of keys, found {found} at the top level"
    ]


@pytest.mark.parametrize(
    ("content", "where"), [("~\n", "1:1"), ("null\n", "1:1"), ("---\n", "2:1")]
)
def test_null_document_is_reported(load: Load, content: str, where: str) -> None:
    loaded = load(content)
    assert texts(loaded) == [
        f"{F}:{where}: a plan is a mapping of keys, found nothing at the top level"
    ]
    assert not loaded.ok


def test_more_than_one_document(load: Load) -> None:
    loaded = load(BASE + "---\nservice: other\n")
    assert texts(loaded) == [
        f"{F}:25:1: more than one YAML document ('---'): a plan file holds exactly one"
    ]


def test_file_over_size_limit(load: Load) -> None:
    size = len(BASE.encode())
    loaded = load(BASE, limits=Limits(max_bytes=100))
    assert texts(loaded) == [f"{F}:1:1: file is {size:,} bytes, over the 100-byte limit"]
    assert loaded.plan is None


def test_nesting_limit(load: Load) -> None:
    loaded = load(edit("status: draft\n", "status: draft\nsummary: " + "[" * 70 + "]" * 70 + "\n"))
    assert texts(loaded) == [f"{F}:1:1: nesting deeper than 64 levels"]


# --- values stay as written ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "kept"),
    [("2.10", "2.10"), ("1.0", "1.0"), ("010", "010"), ("1e3", "1e3"), ("0x1F", "0x1F")],
)
def test_release_is_kept_exactly_as_written(load: Load, written: str, kept: str) -> None:
    plan = valid(load(edit("release: 4.2.0", f"release: {written}"))).plan
    assert plan is not None
    assert plan.release == kept
    assert plan.display_title == f"billing-worker {kept}"


@pytest.mark.parametrize("word", ["on", "off", "yes", "no", "y", "true", "1:30", "2026-12-01"])
def test_command_words_stay_text(load: Load, word: str) -> None:
    plan = valid(load(edit(COMMAND, f"        command: {word}\n"))).plan
    assert plan is not None
    assert plan.phases[0].steps[0].command == word


def test_sexagesimal_and_flow_mappings_untouched(load: Load) -> None:
    extra = (
        "title: 1:30\n"
        "window: {duration: 2h30m, start: 2026-12-01T22:00:00+01:00}\n"
        "checklists:\n"
        "  - title: T-1:30\n"
        "    items: [1:30, 0o17, .inf, ~x]\n"
    )
    plan = valid(load(edit("status: draft\n", "status: draft\n" + extra))).plan
    assert plan is not None
    assert plan.title == "1:30"
    assert plan.window is not None
    assert (plan.window.duration, plan.window.start) == ("2h30m", "2026-12-01T22:00:00+01:00")
    assert plan.checklists[0].items == ["1:30", "0o17", ".inf", "~x"]


@pytest.mark.parametrize("written", ["", " ~", " null", " Null"])
def test_plain_null_is_absent(load: Load, written: str) -> None:
    text = edit(COMMAND, f"        command:{written}\n        notes:{written}\n")
    plan = valid(load(text)).plan
    assert plan is not None
    assert (plan.phases[0].steps[0].command, plan.phases[0].steps[0].notes) == (None, None)


def test_quoted_null_is_text(load: Load) -> None:
    plan = valid(load(edit(COMMAND, "        command: 'null'\n        notes: \"~\"\n"))).plan
    assert plan is not None
    assert (plan.phases[0].steps[0].command, plan.phases[0].steps[0].notes) == ("null", "~")


def test_required_text_given_null(load: Load) -> None:
    loaded = load(edit("    name: Eve Laurent\n", "    name:\n"))
    assert texts(loaded) == [f"{F}:12:10: roles[0].name: a value is required here, found nothing"]


def test_shell_text_is_kept_byte_for_byte(load: Load) -> None:
    command = (
        "        command: |\n"
        "          echo \"$VAR\" -- 'a'  \n"
        "\n"
        "          cat <<EOF | grep *x* && {{ y }}\n"
    )
    plan = valid(load(edit(COMMAND, command))).plan
    assert plan is not None
    assert plan.phases[0].steps[0].command == (
        "echo \"$VAR\" -- 'a'  \n\ncat <<EOF | grep *x* && {{ y }}\n"
    )


# --- several problems at once --------------------------------------------------------------------


def test_several_errors_in_one_file_all_reported(load: Load) -> None:
    text = edit("service: billing-worker", "service: Billing Worker")
    text = edit("status: draft", "status: nope", text)
    text = edit("  level: low\n", "  level: low\n  level: high\n", text)
    text = edit("        command:", "        comand:", text)
    text = edit("  pattern: rolling", "  pattern: blue-gren", text)
    loaded = load(text)
    starts = [
        f"{F}:1:10: service: invalid slug 'Billing Worker'",
        f"{F}:4:9: status: invalid value 'nope'",
        f"{F}:7:3: risk.level: duplicate key 'level' (first at line 6)",
        f"{F}:9:12: strategy.pattern: unknown pattern 'blue-gren'",
        f"{F}:18:9: phases[0].steps[0].comand: unknown key 'comand'",
    ]
    assert len(loaded.problems) == len(starts), texts(loaded)
    for line, start in zip(texts(loaded), starts, strict=True):
        assert line.startswith(start), (line, start)


def test_missing_required_keys(load: Load) -> None:
    text = edit("status: draft\n", "")
    text = edit("  rationale: Stateless worker, backward-compatible change.\n", "", text)
    loaded = load(text)
    assert texts(loaded) == [
        f"{F}:1:1: status: required key 'status' is missing",
        f"{F}:7:3: strategy.rationale: required key 'rationale' is missing",
    ]


# --- patterns ------------------------------------------------------------------------------------


def test_unknown_pattern_suggests_nearest(load: Load) -> None:
    loaded = load(edit("  pattern: rolling", "  pattern: blue-gren"))
    assert texts(loaded) == [
        f"{F}:8:12: strategy.pattern: unknown pattern 'blue-gren'; did you mean 'blue-green'? "
        "(known: blue-green, canary, feature-flags, recreate, rolling)"
    ]


@pytest.mark.parametrize(
    ("written", "pattern_id"),
    [
        ("Blue_Green", "blue-green"),
        ("bluegreen", "blue-green"),
        ("blue/green", "blue-green"),
        ("red-black", "blue-green"),
        ("Blue Green", "blue-green"),
        ("rolling-update", "rolling"),
        ("toggles", "feature-flags"),
        ("dark-launch", "feature-flags"),
        ("big-bang", "recreate"),
        ("all-at-once", "recreate"),
        ("CANARY", "canary"),
    ],
)
def test_pattern_aliases_resolve_to_ids(load: Load, written: str, pattern_id: str) -> None:
    plan = valid(load(edit("  pattern: rolling", f"  pattern: {written}"))).plan
    assert plan is not None
    assert plan.strategy.pattern == pattern_id


def test_migration_pattern_is_not_a_strategy(load: Load) -> None:
    loaded = load(edit("  pattern: rolling", "  pattern: expand-contract"))
    assert texts(loaded) == [
        f"{F}:8:12: strategy.pattern: 'expand-contract' is a migration pattern, not a deployment "
        "strategy (known: blue-green, canary, feature-flags, recreate, rolling)"
    ]


def test_canary_parameters_checked(load: Load) -> None:
    text = edit(
        "  pattern: rolling\n",
        "  pattern: canary\n  parameters:\n    steps: [5, 25, 150]\n    interval: 10 min\n",
    )
    assert texts(load(text)) == [
        f"{F}:10:20: strategy.parameters.steps[2]: expected a percentage (0-100], found '150'",
        f"{F}:11:15: strategy.parameters.interval: invalid duration '10 min': "
        "use 90s, 45m, 2h30m, 1d",
    ]


# --- migrations and steps ------------------------------------------------------------------------

MIGRATION = """\
migrations:
  items:
    - id: "0042"
      description: Add a nullable column
      command: alembic upgrade 0042
"""


def test_reversible_migration_needs_rollback(load: Load) -> None:
    loaded = load(BASE + MIGRATION)
    assert texts(loaded) == [
        f"{F}:27:7: migrations.items[0]: required key 'rollback' is missing: a reversible "
        "migration needs its rollback command (or set reversible: false)"
    ]
    assert loaded.plan is None


@pytest.mark.parametrize(
    "extra", ["      reversible: false\n", "      rollback: alembic downgrade 0041\n"]
)
def test_irreversible_or_rolled_back_migration_is_fine(load: Load, extra: str) -> None:
    valid(load(BASE + MIGRATION + extra))


def test_duplicate_migration_ids(load: Load) -> None:
    text = BASE + MIGRATION + "      reversible: false\n" + MIGRATION.split("  items:\n")[1]
    text += "      reversible: false\n"
    problem(load(text), f"{F}:31:11: migrations.items[1].id: duplicate migration id '0042'")


def test_duplicate_step_ids(load: Load) -> None:
    steps = (
        "      - id: deploy\n        title: Roll out 4.2.0\n"
        "      - id: deploy\n        title: Restart workers\n"
    )
    loaded = load(edit(STEP, steps))
    assert texts(loaded) == [
        f"{F}:18:13: phases[0].steps[1].id: duplicate step id 'deploy' (also at phases[0].steps[0]"
        "; ids are compared ignoring case, since they become page anchors)"
    ]
    assert loaded.plan is None


def test_duplicate_step_id_across_phase_and_rollback(load: Load) -> None:
    text = edit(STEP, "      - id: undo\n        title: Roll out 4.2.0\n")
    text = edit(
        "    - title: Roll back to the previous ReplicaSet\n",
        "    - id: undo\n      title: Roll back to the previous ReplicaSet\n",
        text,
    )
    problem(
        load(text),
        f"{F}:24:11: rollback.steps[0].id: duplicate step id 'undo' (also at phases[0].steps[0]",
    )


def step_uids(loaded: LoadedPlan) -> dict[str, str]:
    plan = valid(loaded).plan
    assert plan is not None
    steps = [s for phase in plan.phases for s in phase.steps] + list(plan.rollback.steps)
    return {s.title: s.uid for s in steps}


def test_derived_step_ids(load: Load) -> None:
    text = edit(
        STEP, "      - title: Drain queue\n" + STEP + "      - id: check\n        title: Check\n"
    )
    assert step_uids(load(text)) == {
        "Drain queue": "drain-queue",
        "Roll out 4.2.0": "roll-out-4-2-0",
        "Check": "check",
        "Roll back to the previous ReplicaSet": "rollback-roll-back-to-the-previous-replicaset",
    }


def test_derived_step_ids_stable_when_a_step_is_inserted_before(load: Load) -> None:
    before = step_uids(load(BASE))
    inserted = edit(
        STEP,
        "      - title: Pause the queue consumer\n"
        "      - id: roll-out\n        title: Warm caches\n" + STEP,
    )
    inserted = edit(
        "phases:\n",
        "phases:\n  - phase: pre-deployment\n    steps:\n      - title: Back up\n",
        inserted,
    )
    after = step_uids(load(inserted))
    for title, uid in before.items():
        assert after[title] == uid


def test_derived_step_ids_do_not_clash_with_explicit_ones(load: Load) -> None:
    text = edit(STEP, STEP + "      - id: roll-out-4-2-0\n        title: Other\n")
    uids = step_uids(load(text))
    assert uids["Other"] == "roll-out-4-2-0"
    assert uids["Roll out 4.2.0"] == "roll-out-4-2-0-2"


# --- discovery -----------------------------------------------------------------------------------

NEAR_MISSES = [
    "deployment_plan.yaml",
    "Deployment-Plan.yaml",
    "deployment-plan.yaml.txt",
    "deployment-plan.json",
]


def test_near_miss_names_reported_as_ignored(tmp_path: Path, spec_minimal: Path) -> None:
    folder = tmp_path / "plans" / "billing" / "2026-12-01-4.2.0"
    folder.mkdir(parents=True)
    for name in ["deployment-plan.yaml", *NEAR_MISSES, "README.md", "notes.yaml"]:
        shutil.copy(spec_minimal, folder / name)

    plans, ignored = load_plans(tmp_path / "plans", REGISTRY, display_root=tmp_path)

    assert [(p.display, p.ok) for p in plans] == [
        ("plans/billing/2026-12-01-4.2.0/deployment-plan.yaml", True)
    ]
    assert plans[0].folder == "billing/2026-12-01-4.2.0"
    assert sorted(p.text() for p in ignored) == sorted(
        f"plans/billing/2026-12-01-4.2.0/{name}:1:1: ignored '{name}': a plan file must be "
        "named 'deployment-plan.yaml' (or '.yml'); rename it to be built"
        for name in NEAR_MISSES
    )
    assert {p.severity for p in ignored} == {"warning"}


def test_discover_finds_yml_and_reports_hidden_folders(
    tmp_path: Path, write_plan: Callable[..., Path]
) -> None:
    a = write_plan("plans/a/1", BASE)
    b = write_plan("plans/b/1", BASE, name="deployment-plan.yml")
    write_plan("plans/.git/x", BASE)
    found = discover(tmp_path / "plans", tmp_path)
    assert found.plans == [a, b]
    assert [p.text() for p in found.ignored] == [
        "plans/.git/x/deployment-plan.yaml:1:1: ignored plan in hidden folder '.git': plans "
        "in folders whose name starts with '.' are not built; rename the folder to build it"
    ]
    assert [p.severity for p in found.ignored] == ["warning"]


def test_two_plans_with_one_address_both_reported(
    tmp_path: Path, write_plan: Callable[..., Path]
) -> None:
    write_plan("plans/x", BASE)
    write_plan("plans/x", BASE, name="deployment-plan.yml")
    write_plan("plans/y", BASE)

    plans, _ = load_plans(tmp_path / "plans", REGISTRY, display_root=tmp_path)
    by_name = {p.display: p for p in plans}

    assert texts(by_name["plans/x/deployment-plan.yaml"]) == [
        "plans/x/deployment-plan.yaml:1:1: two plans share the page address 'x/': "
        "also plans/x/deployment-plan.yml"
    ]
    assert texts(by_name["plans/x/deployment-plan.yml"]) == [
        "plans/x/deployment-plan.yml:1:1: two plans share the page address 'x/': "
        "also plans/x/deployment-plan.yaml"
    ]
    assert not by_name["plans/x/deployment-plan.yaml"].ok
    assert not by_name["plans/x/deployment-plan.yml"].ok
    assert by_name["plans/y/deployment-plan.yaml"].ok


def test_plan_directly_in_plans_root_needs_a_folder(
    tmp_path: Path, write_plan: Callable[..., Path]
) -> None:
    write_plan("plans", BASE)
    plans, _ = load_plans(tmp_path / "plans", REGISTRY, display_root=tmp_path)
    assert [texts(p) for p in plans] == [
        ["plans/deployment-plan.yaml:1:1: a plan needs a folder of its own below the plans folder"]
    ]


def test_lint_ignore_names_known_rules_only() -> None:
    from mkdocs_runbooks.lint import lint_plan
    from mkdocs_runbooks.load import load_text

    text = spec_text("minimal") + "lint:\n  ignore:\n    RB31: typo\n"
    loaded = load_text(text, "p.yaml", load_patterns())
    # The lint settings are checked by lint (the loader knows no rules): the plan is
    # invalid once linted, with the same problem in the same place.
    assert lint_plan(loaded) == []
    assert loaded.plan is None
    (problem,) = loaded.problems
    assert problem.text().startswith(
        "p.yaml:28:11: lint.ignore.RB31: unknown rule id 'RB31'; did you mean 'RB301'?"
    )


def test_step_ids_differing_only_in_case_clash() -> None:
    from mkdocs_runbooks.load import load_text

    two = (
        "      - id: Deploy\n        title: Roll out 4.2.0\n"
        "      - id: deploy\n        title: Again\n"
    )
    text = spec_text("minimal").replace("      - title: Roll out 4.2.0\n", two)
    loaded = load_text(text, "p.yaml", load_patterns())
    assert any("duplicate step id 'deploy'" in p.message for p in loaded.problems)


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://x.example.com/a", True),
        ("mailto:oncall@example.com", False),
        ("../runbooks/other.md", True),
        ("javascript:alert(1)", False),
        ("data:text/html,x", False),
        ("//evil.example.com/x", False),
    ],
)
def test_link_schemes(url: str, ok: bool) -> None:
    from mkdocs_runbooks.load import load_text

    text = spec_text("minimal") + f"links:\n  - title: t\n    url: '{url}'\n"
    loaded = load_text(text, "p.yaml", load_patterns())
    assert (loaded.plan is not None) is ok, [p.text() for p in loaded.problems]
