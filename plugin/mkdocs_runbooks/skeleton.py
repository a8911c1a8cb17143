"""Starting a plan: a pattern's skeleton, or an earlier plan, to a new ``deployment-plan.yaml``.

The core of ``mkdocs-runbooks new`` (``cli_new.py`` only parses arguments and prints). The new
plan validates but is not finished: every value the author must supply holds a ``TODO:``
placeholder, which rule RB601 reports, so a half-written plan cannot pass review unnoticed.

A pattern page carries its skeleton in its front matter, under ``skeleton:``::

    skeleton:
      parameters: {steps: [5, 25, 50, 100], interval: 15m}   # strategy.parameters
      phases:            # a phase with a standard id replaces the generic one of that id;
        - phase: application-deployment   # another id goes after the phase listed before it
          steps: [{title: ..., owner: ..., command: ..., expected: ..., verify: ...}]
      triggers: [...]    # replace the generic rollback trigger
      rollback: {expected_duration: 5m, steps: [...]}   # keys replace the generic ones
      checklists: [{title: T-24 hours, items: [...]}]   # items added to the same title

Text in a skeleton may name ``{service}``, ``{release}``, ``{date}`` and ``{environment}``
(``${release}`` is left alone: that is shell). A pattern without a skeleton gets the generic
one (:data:`GENERIC`).
"""

from __future__ import annotations

import copy
import datetime as dt
import difflib
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import TypeAdapter, ValidationError

from .fields import Slug, norm_token
from .lint import check_ignores
from .lint.todo import strings, todo_placeholder
from .load import PLAN_NAMES, LoadedPlan, load_plan, load_text
from .model import Plan
from .patterns import Pattern, PatternRegistry
from .problems import format_path
from .yamlnodes import parse_yaml

__all__ = [
    "DEFAULT_SCHEMA",
    "GENERIC",
    "SKELETON_KEYS",
    "STANDARD_ROLES",
    "Draft",
    "NewPlanError",
    "dump_plan",
    "new_plan",
    "parse_date",
    "read_skeleton",
    "write_draft",
]

DEFAULT_SCHEMA = Path("schema/deployment-plan.schema.json")
"""Where ``mkdocs-runbooks schema --out`` is usually pointed, from the project root."""

STANDARD_ROLES = ("Deployment Lead", "Technical Executor", "Monitoring Observer", "Release Manager")
SKELETON_KEYS = ("parameters", "phases", "triggers", "rollback", "checklists")

EXIT_INVALID, EXIT_USAGE = 1, 2


class NewPlanError(Exception):
    """Why no plan was written, with the command's exit code."""

    def __init__(self, message: str, code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass
class Draft:
    """A new plan, ready to be written."""

    path: Path
    text: str
    todos: int
    schema: Path
    notes: list[str] = field(default_factory=list)


def _step(
    title: str, owner: str, command: str | None, expected: str, verify: str | None
) -> dict[str, Any]:
    step: dict[str, Any] = {"title": title, "owner": owner}
    if command is not None:
        step["command"] = command
    step["expected"] = expected
    if verify is not None:
        step["verify"] = verify
    return step


GENERIC: dict[str, Any] = {
    "phases": [
        {
            "phase": "pre-deployment",
            "duration": "30m",
            "steps": [
                _step(
                    "Back up the database",
                    "Technical Executor",
                    "TODO: the exact backup command",
                    "The backup finishes without errors and the backup file is not empty.",
                    "TODO: a command that lists what the backup holds",
                ),
                _step(
                    "Confirm {environment} is healthy",
                    "Monitoring Observer",
                    "TODO: the health check command",
                    "Every health check reports healthy and no alert is firing.",
                    "TODO: a command that fails unless the service is healthy",
                ),
            ],
        },
        {
            "phase": "application-deployment",
            "steps": [
                _step(
                    "Deploy {release} to {environment}",
                    "Technical Executor",
                    "TODO: the exact deploy command",
                    "The rollout finishes and every instance runs {release}.",
                    "TODO: a command that shows every instance runs {release}",
                ),
            ],
        },
        {
            "phase": "smoke-testing",
            "steps": [
                _step(
                    "Run the smoke tests against {environment}",
                    "Technical Executor",
                    "TODO: the smoke test command",
                    "All smoke tests pass.",
                    "TODO: a command that fails if a smoke test failed",
                ),
            ],
        },
        {
            "phase": "monitoring",
            "duration": "30m",
            "steps": [
                _step(
                    "Watch the rollback triggers for 30 minutes",
                    "Monitoring Observer",
                    None,
                    "No rollback trigger fires; error rate and latency stay at their levels "
                    "from before the release.",
                    None,
                ),
            ],
        },
    ],
    "triggers": [
        {
            "condition": "TODO: error rate above N% for 5 minutes",
            "metric": "TODO: the error-rate metric",
            "threshold": "TODO: the limit, for example > 0.02",
            "window": "5m",
        }
    ],
    "rollback": {
        "owner": "Deployment Lead",
        "expected_duration": "15m",
        "steps": [
            _step(
                "Redeploy the previous release",
                "Technical Executor",
                "TODO: the exact command that redeploys the previous release",
                "Every instance runs the previous release again.",
                "TODO: a command that shows every instance runs the previous release",
            ),
        ],
    },
    "checklists": [
        {
            "title": "T-24 hours",
            "items": [
                "Plan reviewed and approved by the Release Manager",
                "Rollback procedure read by the Technical Executor",
                "Backup restore tested outside production",
                "On-call coverage confirmed for the window",
            ],
        },
        {
            "title": "T-1 hour",
            "items": [
                "No ongoing incidents",
                "Deployment team assembled in TODO: the channel",
                "Dashboards of the rollback triggers open",
            ],
        },
    ],
}
"""The skeleton every plan starts from; a pattern's own skeleton is merged into it."""


# --- checks of the arguments --------------------------------------------------------------------

_SLUG = TypeAdapter(Slug)
_RELEASE_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+-]*")
_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")


def check_service(service: str) -> None:
    try:
        _SLUG.validate_python(service)
    except ValidationError as error:
        raise NewPlanError(str(error.errors()[0]["msg"])) from None


def check_release(release: str) -> None:
    if not _RELEASE_RE.fullmatch(release) or ".." in release:
        raise NewPlanError(
            f"invalid release '{release}': it names the plan's folder, so use letters, digits, "
            "'.', '_', '+' and '-', starting with a letter or digit (for example 2.10 or 7.4.0)"
        )


def parse_date(text: str) -> dt.date:
    """A ``YYYY-MM-DD`` date, or :class:`NewPlanError` with the loader's kind of message."""
    try:
        if not _DATE_RE.fullmatch(text):
            raise ValueError(text)
        return dt.date.fromisoformat(text)
    except ValueError:
        raise NewPlanError(
            f"invalid date '{text}': use YYYY-MM-DD, for example 2026-11-20"
        ) from None


def _shown(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


# --- skeletons ----------------------------------------------------------------------------------

_FRONT_MATTER_RE = re.compile(r"\A---[ \t]*\r?\n(.*?\r?\n)?(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)


def _exact_front_matter(path: Path) -> dict[str, Any] | None:
    """The front matter read like a plan: every value text exactly as written (2.10 stays)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return None
    match = _FRONT_MATTER_RE.match(text)
    if not match:
        return None
    parsed = parse_yaml(match.group(1) or "")
    if parsed.problems or not isinstance(parsed.data, dict):
        return None
    return parsed.data


def _kind(value: object) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return "nothing" if value is None else f"'{value}'"


def read_skeleton(pattern: Pattern) -> dict[str, Any] | None:
    """The pattern's ``skeleton:`` front matter, checked for its shape; ``None`` when absent."""
    if pattern.meta.get("skeleton") is None:
        return None
    raw: Any = pattern.meta["skeleton"]
    if pattern.source is not None:
        exact = _exact_front_matter(pattern.source)
        if exact is not None and exact.get("skeleton") is not None:
            raw = exact["skeleton"]
    where = f"{_shown(pattern.source) if pattern.source else pattern.id}: skeleton"
    if not isinstance(raw, dict):
        raise NewPlanError(
            f"{where}: expected a mapping of keys ({', '.join(SKELETON_KEYS)}), found {_kind(raw)}"
        )
    for key in raw:
        if key not in SKELETON_KEYS:
            close = difflib.get_close_matches(str(key), SKELETON_KEYS, n=1, cutoff=0.6)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            raise NewPlanError(
                f"{where}.{key}: unknown key '{key}'{hint} (allowed: {', '.join(SKELETON_KEYS)})"
            )
    shapes = {
        "parameters": dict,
        "phases": list,
        "triggers": list,
        "rollback": dict,
        "checklists": list,
    }
    for key, shape in shapes.items():
        if key in raw and not isinstance(raw[key], shape):
            wanted = "a mapping" if shape is dict else "a list"
            raise NewPlanError(f"{where}.{key}: expected {wanted}, found {_kind(raw[key])}")
    for key in ("phases", "checklists"):
        for i, item in enumerate(raw.get(key) or []):
            name = "phase" if key == "phases" else "title"
            if not isinstance(item, dict) or not item.get(name):
                raise NewPlanError(
                    f"{where}.{key}[{i}]: expected a mapping with `{name}:`, found {_kind(item)}"
                )
    return raw


def _map_strings(value: Any, func: Callable[[str], str]) -> Any:
    if isinstance(value, str):
        return func(value)
    if isinstance(value, dict):
        return {key: _map_strings(item, func) for key, item in value.items()}
    if isinstance(value, list):
        return [_map_strings(item, func) for item in value]
    return value


_TOKEN_RE = re.compile(r"(?<!\$)\{(service|release|date|environment)\}")
_INT_RE = re.compile(r"0|[1-9][0-9]{0,17}")


def _fill(value: Any, tokens: dict[str, str]) -> Any:
    return _map_strings(value, lambda text: _TOKEN_RE.sub(lambda m: tokens[m.group(1)], text))


def _numbers(value: Any) -> Any:
    """Whole numbers read as text back to numbers, so ``steps: [5, 25]`` is written unquoted.

    Only for ``strategy.parameters``: the loader reads ``5`` and ``'5'`` as the same text.
    """
    if isinstance(value, str) and _INT_RE.fullmatch(value):
        return int(value)
    if isinstance(value, dict):
        return {key: _numbers(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_numbers(item) for item in value]
    return value


def _merge_phases(base: list[dict[str, Any]], extra: list[Any]) -> list[dict[str, Any]]:
    phases = list(base)
    cursor = 0  # a new phase listed first goes after pre-deployment
    for item in extra:
        phase = dict(item)
        phase["phase"] = norm_token(str(phase["phase"]))
        at = next((i for i, p in enumerate(phases) if p["phase"] == phase["phase"]), None)
        if at is None:
            cursor += 1
            phases.insert(cursor, phase)
        else:
            phases[at] = phase
            cursor = at
    return phases


def _merge_checklists(base: list[dict[str, Any]], extra: list[Any]) -> list[dict[str, Any]]:
    lists = [dict(item) for item in base]
    for item in extra:
        title = norm_token(str(item["title"]))
        same = next((c for c in lists if norm_token(c["title"]) == title), None)
        if same is None:
            lists.append(dict(item))
        else:
            same["items"] = [*same["items"], *(item.get("items") or [])]
    return lists


class _Quoted(str):
    """Text always written in double quotes (``release: "2.10"``)."""

    __slots__ = ()


def _from_pattern(
    pattern: Pattern, service: str, release: str, date: dt.date
) -> tuple[dict[str, Any], list[str]]:
    notes: list[str] = []
    skeleton = read_skeleton(pattern)
    if skeleton is None:
        notes.append(
            f"pattern '{pattern.id}' has no `skeleton:` in its front matter: the plan starts "
            "from the generic skeleton"
        )
        skeleton = {}
    skeleton = copy.deepcopy(skeleton)
    base = copy.deepcopy(GENERIC)
    rollback: dict[str, Any] = {
        "owner": base["rollback"]["owner"],
        "triggers": skeleton.get("triggers") or base["triggers"],
        "expected_duration": base["rollback"]["expected_duration"],
        "steps": base["rollback"]["steps"],
    }
    rollback.update(skeleton.get("rollback") or {})
    strategy: dict[str, Any] = {
        "pattern": pattern.id,
        "rationale": f"TODO: why the {pattern.title} pattern fits this release",
    }
    tokens = {
        "service": service,
        "release": release,
        "date": date.isoformat(),
        "environment": "production",
    }
    if skeleton.get("parameters"):
        strategy["parameters"] = _numbers(_fill(skeleton["parameters"], tokens))
    data: dict[str, Any] = {
        "service": service,
        "release": _Quoted(release),
        "environment": "production",
        "date": date,
        "status": "draft",
        "summary": "TODO: what this release changes, in a sentence or two",
        "risk": {
            "level": "medium",
            "notes": "TODO: why the risk is what `level` says (medium is a first guess: "
            "low, medium, high or critical)",
        },
        "strategy": strategy,
        "roles": [{"role": role, "name": "TODO: name"} for role in STANDARD_ROLES],
        "phases": _fill(_merge_phases(base["phases"], skeleton.get("phases") or []), tokens),
        "rollback": _fill(rollback, tokens),
        "checklists": _fill(
            _merge_checklists(base["checklists"], skeleton.get("checklists") or []), tokens
        ),
    }
    return data, notes


# --- an earlier plan ----------------------------------------------------------------------------


def _read_earlier(path: Path, registry: PatternRegistry) -> LoadedPlan:
    if path.is_dir():
        found = [path / name for name in PLAN_NAMES if (path / name).is_file()]
        if not found:
            raise NewPlanError(f"no deployment-plan.yaml in {path.as_posix()}")
        path = found[0]
    if not path.is_file():
        raise NewPlanError(f"no such file or folder: {path.as_posix()}")
    loaded = load_plan(path, registry)
    if not check_ignores(loaded) or not loaded.ok:
        problems = "\n".join(p.text() for p in loaded.problems)
        raise NewPlanError(
            f"{loaded.display} is not a valid plan, so a new plan cannot start from it; "
            f"fix it first:\n{problems}"
        )
    return loaded


def _replacer(old: str, new: str, *, release: bool) -> Callable[[str], str]:
    if release:
        found = re.compile(r"(?<![\w.])(v?)" + re.escape(old) + r"(?!\w|\.\d)")
        return lambda text: found.sub(lambda m: m.group(1) + new, text)
    found = re.compile(r"(?<!\d)" + re.escape(old) + r"(?!\d)")
    return lambda text: found.sub(new, text)


def _from_earlier(
    loaded: LoadedPlan, service: str, release: str, date: dt.date
) -> tuple[dict[str, Any], list[str]]:
    plan = loaded.plan
    assert plan is not None
    if plan.service != service:
        raise NewPlanError(
            f"{loaded.display} is a plan of '{plan.service}', not '{service}': --from starts "
            "from an earlier plan of the same service"
        )
    old: dict[str, Any] = plan.model_dump(mode="python", exclude_unset=True, exclude_none=True)
    notes = [
        f"copied phases, roles, strategy, rollback and checklists from {loaded.display} "
        f"(release {plan.release}); left out its outcome, review, window, title, links and "
        "communications"
    ]
    phases = old["phases"]
    rollback = old["rollback"]
    if plan.migrations is not None:
        kept = [p for p in phases if p["phase"] != "database-migration"]
        phases = kept or phases
        rollback.pop("database", None)
        notes.append(
            f"left out the migrations of {plan.release} (they have shipped), its "
            "database-migration phase and `rollback.database`: add this release's own"
        )
    risk: dict[str, Any] = {"level": plan.risk.level}
    for key in ("user_impact", "rollback_complexity"):
        if key in old["risk"]:
            risk[key] = old["risk"][key]
    risk["notes"] = (
        f"TODO: the risk of {release} (level copied from {plan.release}: check it still fits)"
    )
    strategy = old["strategy"]
    if "parameters" in strategy:
        strategy["parameters"] = _numbers(strategy["parameters"])
    data: dict[str, Any] = {
        "service": service,
        "release": _Quoted(release),
        "environment": plan.environment,
        "date": date,
        "status": "draft",
        "summary": "TODO: what this release changes, in a sentence or two",
        "risk": risk,
        "strategy": strategy,
        "roles": old["roles"],
        "phases": phases,
        "rollback": rollback,
    }
    if old.get("checklists"):
        data["checklists"] = old["checklists"]
    ignore = {k: v for k, v in (plan.lint.ignore if plan.lint else {}).items() if k != "RB601"}
    if ignore:
        data["lint"] = {"ignore": ignore}
    # Steps name their release (image tags, backup files): move them to the new one.
    changes = [
        _replacer(plan.release, release, release=True),
        _replacer(plan.date.isoformat(), date.isoformat(), release=False),
    ]
    changed = 0
    for key in ("phases", "rollback", "checklists"):
        if key not in data:
            continue

        def apply(text: str) -> str:
            nonlocal changed
            new = text
            for change in changes:
                new = change(new)
            changed += new != text
            return new

        data[key] = _map_strings(data[key], apply)
    if changed:
        notes.append(
            f"replaced release {plan.release} (and date {plan.date.isoformat()}) with "
            f"{release} ({date.isoformat()}) in {changed} value(s): check each"
        )
    # A longer version of the old release (2.10.0 for 2.10) cannot be guessed: point at it.
    longer = re.compile(r"(?<![\w.])v?" + re.escape(plan.release) + r"\.\d")
    stale = [
        format_path(loc)
        for key in ("phases", "rollback", "checklists")
        for loc, text in strings(data.get(key), (key,))
        if longer.search(text)
    ]
    if stale:
        shown = ", ".join(stale[:5]) + (f" and {len(stale) - 5} more" if len(stale) > 5 else "")
        notes.append(f"still naming a version of {plan.release}: {shown}; update them")
    return data, notes


# --- YAML out -----------------------------------------------------------------------------------

_STR = "tag:yaml.org,2002:str"
_SHORT_RE = re.compile(r"[\w.%+-]+")


class _Dumper(yaml.SafeDumper):
    """Safe YAML with lists indented under their key, as the format's examples are."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style: str | None = None
    if "\n" in value:
        style = "|"
    elif value.startswith("TODO:") and not any(c in value for c in '"\\'):
        style = '"'  # command: "TODO: the exact command"
    return dumper.represent_scalar(_STR, value, style=style)


def _represent_quoted(dumper: yaml.SafeDumper, value: _Quoted) -> yaml.Node:
    return dumper.represent_scalar(_STR, str(value), style='"')


def _represent_list(dumper: yaml.SafeDumper, value: list[Any]) -> yaml.Node:
    def short(item: object) -> bool:
        if isinstance(item, bool):
            return False
        return isinstance(item, int) or (isinstance(item, str) and bool(_SHORT_RE.fullmatch(item)))

    flow = bool(value) and all(short(v) for v in value) and len(str(value)) <= 60
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flow)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(_Quoted, _represent_quoted)
_Dumper.add_representer(list, _represent_list)

_MIGRATION_HINT = (
    "# No database-migration phase: this release has no migrations yet. If it changes the",
    "# schema, list them under `migrations:` and add `- phase: database-migration` here, with",
    "# steps that apply and verify each one.",
)


def _decorate(body: str, data: dict[str, Any]) -> str:
    """A blank line before each top-level section, and the migration hint among the phases."""
    sections = {key for key, value in data.items() if isinstance(value, (dict, list))}
    lines = body.splitlines()
    out: list[str] = []
    in_phases = False
    hinted = any(p.get("phase") == "database-migration" for p in data.get("phases", []))
    for line in lines:
        if line[:1] not in ("", " ", "#", "-"):
            key = line.split(":", 1)[0]
            in_phases = key == "phases"
            if key in sections and out:
                out.append("")
        if in_phases and not hinted and line.startswith("  - phase: "):
            phase = line.removeprefix("  - phase: ")
            if phase in ("application-deployment", "smoke-testing", "monitoring"):
                out += [f"  {hint}" for hint in _MIGRATION_HINT]
                hinted = True
        out.append(line)
    return "\n".join(out) + "\n"


def _as_loaded(value: Any) -> Any:
    """``value`` as our loader reads it back: every scalar is its text."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return {str(key): _as_loaded(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_as_loaded(item) for item in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if value is None:
        return None
    return str(value)


def dump_plan(data: dict[str, Any], header: tuple[str, ...] = ()) -> str:
    """Readable YAML of ``data`` (key order kept, strings quoted where YAML would retype them).

    Checks that the text reads back through the plan loader as exactly the same values.
    """
    body = yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=1_000_000,
        default_flow_style=False,
    )
    head = "".join(f"{line}\n" for line in header)
    expected = _as_loaded(data)
    for text in (head + _decorate(body, data), head + body):
        parsed = parse_yaml(text)
        if not parsed.problems and parsed.data == expected:
            return text
    # Only reached if the emitter has a bug.
    raise NewPlanError("internal error: the new plan does not read back as written")


# --- the whole job ------------------------------------------------------------------------------


def _schema_ref(schema: Path, folder: Path) -> str:
    try:
        return Path(os.path.relpath(os.path.abspath(schema), os.path.abspath(folder))).as_posix()
    except ValueError:  # pragma: no cover - another drive on Windows
        return Path(os.path.abspath(schema)).as_posix()


def new_plan(
    service: str,
    release: str,
    *,
    registry: PatternRegistry,
    pattern: str | None = None,
    earlier: Path | None = None,
    date: dt.date | None = None,
    plans_dir: Path = Path("plans"),
    schema: Path = DEFAULT_SCHEMA,
) -> Draft:
    """The new plan of ``service`` ``release``, from ``pattern`` or from the plan ``earlier``.

    Raises :class:`NewPlanError` (exit code 2 for bad arguments, 1 when the plan exists).
    """
    check_service(service)
    check_release(release)
    when = date or dt.date.today()
    if earlier is not None:
        loaded = _read_earlier(earlier, registry)
        data, notes = _from_earlier(loaded, service, release, when)
        origin = f"{loaded.display}"
    else:
        if pattern is None:
            raise NewPlanError("name a pattern (--pattern) or an earlier plan (--from)")
        found = registry.resolve(pattern)
        if found is None:
            raise NewPlanError(registry.unknown_message(pattern))
        chosen = registry.patterns[found]
        data, notes = _from_pattern(chosen, service, release, when)
        origin = f"the {chosen.id} pattern"
    folder = plans_dir / service / f"{when.isoformat()}-{release}"
    path = folder / PLAN_NAMES[0]
    for name in PLAN_NAMES:
        if (folder / name).exists():
            raise NewPlanError(
                f"{(folder / name).as_posix()} already exists: not overwriting it; edit that "
                "plan, or choose another release or --date",
                EXIT_INVALID,
            )
    others = sorted(
        p.name
        for p in (plans_dir / service).glob(f"*-{release}")
        if p.is_dir() and p.name != folder.name and _DATE_RE.fullmatch(p.name[:10])
    )
    notes += [f"{(plans_dir / service / o).as_posix()} is a plan of {release} too" for o in others]
    header = (
        f"# yaml-language-server: $schema={_schema_ref(schema, folder)}",
        f"# Started by `mkdocs-runbooks new` from {origin}.",
        "# Replace every TODO value: `mkdocs-runbooks validate` lists each one left (RB601).",
    )
    text = dump_plan(data, header)
    display = path.as_posix()
    loaded = load_text(text, display, registry, path=path)
    if not check_ignores(loaded) or not loaded.ok or loaded.plan is None:
        problems = "\n".join(p.text() for p in loaded.problems)
        raise NewPlanError(f"{origin} gives an invalid plan; fix its skeleton:\n{problems}")
    expected = Plan.model_validate(_as_loaded(data), context={"patterns": registry})
    if expected.model_dump() != loaded.plan.model_dump():  # pragma: no cover - a bug guard
        raise NewPlanError("internal error: the new plan does not load as the values written")
    todos = sum(1 for _ in todo_placeholder(loaded.plan))
    return Draft(path, text, todos, schema, notes)


def write_draft(draft: Draft) -> None:
    """Write the plan, never over an existing file (exit code 1 if one appeared meanwhile)."""
    draft.path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with draft.path.open("x", encoding="utf-8", newline="\n") as out:
            out.write(draft.text)
    except FileExistsError:
        raise NewPlanError(
            f"{draft.path.as_posix()} already exists: not overwriting it", EXIT_INVALID
        ) from None
