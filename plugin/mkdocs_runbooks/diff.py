"""Compare two versions of a plan by meaning: which step, trigger or migration changed, and
whether the change raises the risk of the release.

Pure data: no MkDocs, no printing, no files. :func:`diff_plans` takes two loaded plans
(``load_plan`` / ``load_text`` give steps their ids) and returns a :class:`PlanDiff`;
:func:`to_text`, :func:`to_markdown` and :func:`to_json` render it.

Items are matched by what names them, not by position: steps by step id (a removed and an
added step with the same title and command are one renamed step), migrations by id, roles by
role name, triggers by condition text or metric. Unchanged parts are not listed.
"""

from __future__ import annotations

import datetime as dt
import difflib
import html
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

from .fields import duration_seconds, norm_token
from .hidden import visible
from .lint.rollback import is_measurable
from .model import (
    RISK_LEVELS,
    ROLLBACK_COMPLEXITIES,
    USER_IMPACTS,
    Checklist,
    Communication,
    Migration,
    Phase,
    Plan,
    Reviewer,
    Role,
    Step,
    Trigger,
)

__all__ = [
    "GROUPS",
    "Change",
    "Detail",
    "Kind",
    "PlanDiff",
    "blocky",
    "diff_plans",
    "line_diff",
    "summary_line",
    "to_json",
    "to_markdown",
    "to_text",
]

Kind = Literal["added", "removed", "changed", "moved", "renamed"]

GROUPS: tuple[tuple[str, str], ...] = (
    ("plan", "Plan"),
    ("metadata", "Metadata"),
    ("risk", "Risk"),
    ("strategy", "Strategy"),
    ("roles", "Roles"),
    ("migrations", "Migrations"),
    ("phases", "Phases"),
    ("rollback", "Rollback"),
    ("checklists", "Checklists"),
    ("review", "Review"),
    ("communications", "Communications"),
    ("outcome", "Outcome"),
    ("lint", "Lint settings"),
)
"""``(group id, title)`` of every group, in the order renderers list them."""

_GROUP_ORDER = {name: i for i, (name, _title) in enumerate(GROUPS)}


@dataclass(frozen=True)
class Detail:
    """One field of an added or removed item (a new step's command, say)."""

    name: str
    value: str
    code: bool = False
    """Shell text: show it exactly, in a code block."""


@dataclass(frozen=True)
class Change:
    """One difference between the two plans.

    ``old`` and ``new`` are display strings (``None`` where that side has nothing): the
    values for a changed field, the title or description for an added or removed item, the
    step id for a renamed step, the place (``"pre-deployment, step 2"``) for a moved one.
    """

    group: str
    """Meaning group: one of the ids in :data:`GROUPS`."""
    path: str
    """Key path with items named by id: ``phases[pre-deployment].steps[backup].command``."""
    kind: Kind
    old: str | None = None
    new: str | None = None
    risk_up: bool = False
    """The change raises the risk of the release; ``reason`` says why."""
    reason: str = ""
    label: str = ""
    """What changed in words: ``step 'backup' command``, ``risk level``."""
    code: bool = False
    """``old`` and ``new`` are shell text: show them exactly, in code blocks."""
    diff: tuple[str, ...] = ()
    """Unified line diff of multi-line or shell text (hunks only, no ``---``/``+++``)."""
    details: tuple[Detail, ...] = ()
    """Fields of an added or removed item."""

    def as_dict(self) -> dict[str, Any]:
        return {
            "group": self.group,
            "path": self.path,
            "kind": self.kind,
            "label": self.label,
            "old": self.old,
            "new": self.new,
            "code": self.code,
            "diff": list(self.diff),
            "details": [{"name": d.name, "value": d.value, "code": d.code} for d in self.details],
            "risk_up": self.risk_up,
            "reason": self.reason,
        }


@dataclass
class PlanDiff:
    """Every change from ``old`` to ``new``, in group order."""

    changes: list[Change] = field(default_factory=list)
    old_label: str = "old"
    new_label: str = "new"

    @property
    def same(self) -> bool:
        """The two plans mean the same (comments, quoting and key order may still differ)."""
        return not self.changes

    @property
    def risk_flags(self) -> list[Change]:
        """The changes that raise risk, each with its ``reason``."""
        return [c for c in self.changes if c.risk_up]

    def groups(self) -> list[tuple[str, str, list[Change]]]:
        """``(group id, title, changes)`` of each group that has changes, in order."""
        out: list[tuple[str, str, list[Change]]] = []
        for name, title in GROUPS:
            items = [c for c in self.changes if c.group == name]
            if items:
                out.append((name, title, items))
        return out

    def as_dict(self) -> dict[str, Any]:
        return {
            "old": self.old_label,
            "new": self.new_label,
            "same": self.same,
            "summary": {
                "changes": len(self.changes),
                "risk_flags": len(self.risk_flags),
                "groups": {name: len(items) for name, _title, items in self.groups()},
            },
            "risk_flags": [
                {"group": c.group, "path": c.path, "reason": c.reason} for c in self.risk_flags
            ],
            "changes": [c.as_dict() for c in self.changes],
        }


# --- values ----------------------------------------------------------------------------------


def _show(value: object) -> str | None:
    """A model value as display text; ``None`` stays ``None``."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(_show(v) or "" for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_show(v) or ''}" for k, v in value.items()) + "}"
    return str(value)


def line_diff(old: str, new: str, context: int = 2) -> tuple[str, ...]:
    """Unified diff lines of two texts: ``-``, ``+`` and context lines, without the
    ``---``/``+++`` header; ``@@`` hunk lines only when there is more than one hunk.

    A change of the final newline alone shows as ``\\ No newline at end of file``, as in
    ``diff -u``.
    """
    if old.endswith("\n") == new.endswith("\n"):
        a, b = old.splitlines(), new.splitlines()
        raw = list(difflib.unified_diff(a, b, n=context, lineterm=""))
        return tuple(_hunks(raw))
    out: list[str] = []
    raw = list(
        difflib.unified_diff(
            old.splitlines(keepends=True), new.splitlines(keepends=True), n=context
        )
    )
    for line in _hunks(raw):
        body = line.rstrip("\r\n") if line.endswith("\n") else line
        if line.startswith("@@"):
            out.append(body.strip())
            continue
        out.append(body)
        if not line.endswith("\n"):
            out.append("\\ No newline at end of file")
    return tuple(out)


def _hunks(lines: list[str]) -> list[str]:
    """The hunks of ``unified_diff`` output; a lone hunk loses its ``@@`` line."""
    for i, line in enumerate(lines):
        if line.startswith("@@"):
            body = lines[i:]
            if sum(1 for x in body if x.startswith("@@")) == 1:
                return body[1:]
            return body
    return []


# --- building changes ------------------------------------------------------------------------

# How a field is compared and shown: plain text, shell text (exact, code block), Markdown
# (prose; diffed by line).
_TEXT, _CODE, _PROSE = "text", "code", "prose"


class _Builder:
    def __init__(self) -> None:
        self.changes: list[Change] = []

    def add(self, change: Change) -> Change:
        self.changes.append(change)
        return change

    def value(
        self,
        group: str,
        path: str,
        label: str,
        old: object,
        new: object,
        how: str = _TEXT,
        risk: Callable[[object, object], str] | None = None,
    ) -> Change | None:
        """A change of one field, or nothing when both sides show the same."""
        a, b = _show(old), _show(new)
        if a == b:
            return None
        kind: Kind = "changed" if a is not None and b is not None else "added"
        if a is not None and b is None:
            kind = "removed"
        diff: tuple[str, ...] = ()
        if kind == "changed" and a is not None and b is not None:
            multiline = "\n" in a.rstrip("\n") or "\n" in b.rstrip("\n")
            if how != _TEXT or multiline:
                diff = line_diff(a, b)
        reason = risk(old, new) if risk else ""
        return self.add(
            Change(
                group=group,
                path=path,
                kind=kind,
                old=a,
                new=b,
                risk_up=bool(reason),
                reason=reason,
                label=label,
                code=how == _CODE,
                diff=diff,
            )
        )


def _details(pairs: Iterable[tuple[str, object, str]]) -> tuple[Detail, ...]:
    out: list[Detail] = []
    for name, value, how in pairs:
        text = _show(value)
        if text is not None:
            out.append(Detail(name, text, code=how == _CODE))
    return tuple(out)


T = TypeVar("T")


def _keyed(items: Sequence[T], key: Callable[[T], str]) -> dict[str, T]:
    """Items by key; a repeated key gets ``#2``, ``#3``... so that none is lost."""
    out: dict[str, T] = {}
    for item in items:
        base = key(item)
        name, n = base, 1
        while name in out:
            n += 1
            name = f"{base}#{n}"
        out[name] = item
    return out


def _lcs(a: Sequence[str], b: Sequence[str]) -> set[str]:
    """Members of a longest common subsequence of two sequences of distinct keys.

    On a tie the earlier items of ``a`` stay: a step cut and pasted higher up is the one
    that moved, as a line diff shows it.
    """
    m, n = len(a), len(b)
    table = [[0] * (n + 1) for _ in range(m + 1)]
    for i in range(m - 1, -1, -1):
        for j in range(n - 1, -1, -1):
            if a[i] == b[j]:
                table[i][j] = table[i + 1][j + 1] + 1
            else:
                table[i][j] = max(table[i + 1][j], table[i][j + 1])
    out: set[str] = set()
    i = j = 0
    while i < m and j < n:
        if a[i] == b[j]:
            out.add(a[i])
            i += 1
            j += 1
        elif table[i + 1][j] > table[i][j + 1]:
            i += 1
        else:
            j += 1
    return out


def _reordered(old_order: Sequence[str], new_order: Sequence[str]) -> list[str]:
    """Keys present in both orders that moved relative to the others (fewest possible)."""
    common = set(old_order) & set(new_order)
    a = [k for k in old_order if k in common]
    b = [k for k in new_order if k in common]
    stay = _lcs(a, b)
    return [k for k in b if k not in stay]


def _rank(values: tuple[str, ...], value: str | None) -> int:
    return values.index(value) if value in values else -1


def _raised(values: tuple[str, ...], what: str) -> Callable[[object, object], str]:
    def check(old: object, new: object) -> str:
        a, b = _rank(values, _show(old)), _rank(values, _show(new))
        if a >= 0 and b > a:
            return f"{what} raised from {old} to {new}"
        return ""

    return check


# --- metadata, risk, strategy, roles ---------------------------------------------------------


def _metadata(out: _Builder, old: Plan, new: Plan) -> None:
    g = "metadata"
    for key in ("service", "release", "environment", "title", "date", "status"):
        out.value(g, key, key, getattr(old, key), getattr(new, key))
    ow, nw = old.window, new.window
    out.value(g, "window.start", "window start", ow and ow.start, nw and nw.start)
    out.value(g, "window.duration", "window duration", ow and ow.duration, nw and nw.duration)
    out.value(g, "summary", "summary", old.summary, new.summary, _PROSE)
    old_links = _keyed(old.links, lambda link: link.title)
    new_links = _keyed(new.links, lambda link: link.title)
    for key, link in old_links.items():
        if key not in new_links:
            out.add(Change(g, f"links[{key}]", "removed", old=link.url, label=f"link '{key}'"))
    for key, link in new_links.items():
        if key not in old_links:
            out.add(Change(g, f"links[{key}]", "added", new=link.url, label=f"link '{key}'"))
        else:
            out.value(g, f"links[{key}].url", f"link '{key}' address", old_links[key].url, link.url)


def _risk(out: _Builder, old: Plan, new: Plan) -> None:
    g = "risk"
    a, b = old.risk, new.risk
    out.value(
        g, "risk.level", "risk level", a.level, b.level, risk=_raised(RISK_LEVELS, "risk level")
    )

    def breaking(before: object, after: object) -> str:
        return "the release now declares breaking changes" if after is True else ""

    out.value(
        g,
        "risk.breaking_changes",
        "breaking changes",
        a.breaking_changes,
        b.breaking_changes,
        risk=breaking,
    )
    out.value(
        g,
        "risk.user_impact",
        "user impact",
        a.user_impact,
        b.user_impact,
        risk=_raised(USER_IMPACTS, "user impact"),
    )
    out.value(
        g,
        "risk.rollback_complexity",
        "rollback complexity",
        a.rollback_complexity,
        b.rollback_complexity,
        risk=_raised(ROLLBACK_COMPLEXITIES, "rollback complexity"),
    )
    out.value(g, "risk.notes", "risk notes", a.notes, b.notes, _PROSE)


def _strategy(out: _Builder, old: Plan, new: Plan) -> None:
    g = "strategy"
    a, b = old.strategy, new.strategy
    out.value(g, "strategy.pattern", "strategy", a.pattern, b.pattern)
    out.value(g, "strategy.rationale", "strategy rationale", a.rationale, b.rationale, _PROSE)
    pa, pb = a.parameters or {}, b.parameters or {}
    for key in [*pa, *(k for k in pb if k not in pa)]:
        out.value(
            g, f"strategy.parameters.{key}", f"strategy parameter '{key}'", pa.get(key), pb.get(key)
        )


def _matched(
    out: _Builder,
    group: str,
    items: tuple[dict[str, T], dict[str, T]],
    path: Callable[[str], str],
    label: Callable[[str], str],
    summary: Callable[[str, T], str | None],
    compare: Callable[[str, str, T, T], None],
    details: Callable[[T], tuple[Detail, ...]] = lambda _: (),
    details_when_removed: bool = False,
) -> None:
    """Items matched by key across two plans: removed ones, added ones (with their
    details) and, for items in both, whatever ``compare(path, label, old, new)`` reports."""
    a, b = items
    for key, item in a.items():
        if key not in b:
            more = details(item) if details_when_removed else ()
            out.add(
                Change(
                    group,
                    path(key),
                    "removed",
                    old=summary(key, item),
                    label=label(key),
                    details=more,
                )
            )
    for key, item in b.items():
        if key not in a:
            change = Change(
                group,
                path(key),
                "added",
                new=summary(key, item),
                label=label(key),
                details=details(item),
            )
            out.add(change)
            continue
        compare(path(key), label(key), a[key], item)


def _roles(out: _Builder, old: Plan, new: Plan) -> None:
    def compare(path: str, label: str, a: Role, b: Role) -> None:
        out.value("roles", f"{path}.name", f"{label} person", a.name, b.name)
        out.value("roles", f"{path}.contact", f"{label} contact", a.contact, b.contact)

    _matched(
        out,
        "roles",
        (_keyed(old.roles, lambda r: r.role), _keyed(new.roles, lambda r: r.role)),
        path=lambda key: f"roles[{key}]",
        label=lambda key: f"role '{key}'",
        summary=lambda _, role: role.name,
        compare=compare,
    )


# --- migrations ------------------------------------------------------------------------------


def _migration_risks(item: Migration, before: Migration | None) -> list[str]:
    """Why ``item`` (new, or changed from ``before``) raises risk."""
    what = f"migration {item.id}" if before else f"new migration {item.id}"
    out: list[str] = []
    if not item.reversible and (before is None or before.reversible):
        out.append(f"{what} {'became' if before else 'is'} irreversible: it cannot be rolled back")
    if item.phase == "contract" and (before is None or before.phase != "contract"):
        out.append(
            f"{what} {'became' if before else 'is'} a contract migration: the old version "
            "cannot run against the schema after it"
        )
    if item.breaking and (before is None or not before.breaking):
        out.append(
            f"{what} {'became' if before else 'is'} breaking: the old version breaks with it"
        )
    return out


def _migrations(out: _Builder, old: Plan, new: Plan) -> None:
    g = "migrations"
    ma, mb = old.migrations, new.migrations
    out.value(
        g, "migrations.strategy", "migration strategy", ma and ma.strategy, mb and mb.strategy
    )
    a = _keyed(ma.items if ma else [], lambda m: m.id)
    b = _keyed(mb.items if mb else [], lambda m: m.id)
    for key, item in a.items():
        if key not in b:
            out.add(
                Change(
                    g,
                    f"migrations.items[{key}]",
                    "removed",
                    old=item.description,
                    label=f"migration {key}",
                    details=_migration_details(item),
                )
            )
    moved = set(_reordered(list(a), list(b)))
    for pos, (key, item) in enumerate(b.items(), start=1):
        path = f"migrations.items[{key}]"
        label = f"migration {key}"
        if key not in a:
            reasons = _migration_risks(item, None)
            out.add(
                Change(
                    g,
                    path,
                    "added",
                    new=item.description,
                    label=label,
                    details=_migration_details(item),
                    risk_up=bool(reasons),
                    reason="; ".join(reasons),
                )
            )
            continue
        before = a[key]
        if key in moved:
            out.add(
                Change(
                    g,
                    path,
                    "moved",
                    old=f"position {list(a).index(key) + 1}",
                    new=f"position {pos}",
                    label=label,
                )
            )
        out.value(
            g, f"{path}.description", f"{label} description", before.description, item.description
        )

        reasons = _migration_risks(item, before)
        out.value(
            g,
            f"{path}.phase",
            f"{label} phase",
            before.phase,
            item.phase,
            risk=_reason(reasons, "contract"),
        )
        out.value(
            g,
            f"{path}.breaking",
            f"{label} breaking",
            before.breaking,
            item.breaking,
            risk=_reason(reasons, "breaking"),
        )
        out.value(
            g,
            f"{path}.reversible",
            f"{label} reversible",
            before.reversible,
            item.reversible,
            risk=_reason(reasons, "irreversible"),
        )
        out.value(g, f"{path}.command", f"{label} command", before.command, item.command, _CODE)
        out.value(
            g,
            f"{path}.verify",
            f"{label} verify",
            before.verify,
            item.verify,
            _CODE,
            risk=_verify_removed(label),
        )
        out.value(g, f"{path}.rollback", f"{label} rollback", before.rollback, item.rollback, _CODE)
        out.value(g, f"{path}.tested_in", f"{label} tested in", before.tested_in, item.tested_in)
    out.value(
        g,
        "migrations.rollback_plan",
        "database rollback plan",
        ma and ma.rollback_plan,
        mb and mb.rollback_plan,
        _PROSE,
    )


def _reason(reasons: list[str], word: str) -> Callable[[object, object], str]:
    """The reason among ``reasons`` that mentions ``word`` (or none), whatever the values."""
    found = next((r for r in reasons if f" {word}" in r), "")
    return lambda _old, _new: found


def _migration_details(item: Migration) -> tuple[Detail, ...]:
    return _details(
        [
            ("phase", item.phase, _TEXT),
            ("breaking", item.breaking, _TEXT),
            ("reversible", item.reversible, _TEXT),
            ("command", item.command, _CODE),
            ("verify", item.verify, _CODE),
            ("rollback", item.rollback, _CODE),
        ]
    )


def _verify_removed(what: str) -> Callable[[object, object], str]:
    def check(old: object, new: object) -> str:
        if old is not None and new is None:
            return f"{what} lost its verify command: nobody can tell whether it worked"
        return ""

    return check


# --- steps -----------------------------------------------------------------------------------


@dataclass
class _Placed:
    step: Step
    uid: str
    where: str
    """Phase key (``pre-deployment``, ``monitoring#2``) or ``rollback``."""
    pos: int
    """1-based position in its phase."""


def _uid(step: Step, taken: set[str], prefix: str) -> str:
    if step.uid:
        return step.uid
    # A plan built without the loader has no derived ids: derive one the same way.
    base = prefix + (re.sub(r"[^a-z0-9]+", "-", step.title.lower()).strip("-") or "step")
    uid, n = base, 1
    while uid in taken:
        n += 1
        uid = f"{base}-{n}"
    taken.add(uid)
    return uid


def _phase_keys(phases: Sequence[Phase]) -> list[str]:
    return list(_keyed(phases, lambda p: p.phase))


def _place(groups: Sequence[tuple[str, Sequence[Step]]], prefix: str) -> dict[str, _Placed]:
    taken: set[str] = set()
    out: dict[str, _Placed] = {}
    for where, steps in groups:
        for pos, step in enumerate(steps, start=1):
            uid = _uid(step, taken, prefix)
            if uid in out:  # duplicate ids are a load error; never lose a step
                uid = f"{uid}#{pos}"
            out[uid] = _Placed(step, uid, where, pos)
    return out


def _step_details(step: Step) -> tuple[Detail, ...]:
    return _details(
        [
            ("owner", step.owner, _TEXT),
            ("command", step.command, _CODE),
            ("verify", step.verify, _CODE),
            ("expected", step.expected, _PROSE),
            ("duration", step.duration, _TEXT),
        ]
    )


def _same_step(a: Step, b: Step) -> bool:
    return a.title == b.title and a.command == b.command


def _renames(gone: list[_Placed], new: list[_Placed]) -> list[tuple[_Placed, _Placed]]:
    """Pairs (removed, added) that are one step under a new id.

    Same title and command; or, for steps whose ids are both derived from the title (no
    explicit ``id``), the same command in the same phase: only the title was edited.
    """
    pairs: list[tuple[_Placed, _Placed]] = []
    left = list(new)
    for rule in (
        lambda a, b: _same_step(a.step, b.step),
        lambda a, b: (
            a.step.id is None
            and b.step.id is None
            and a.step.command is not None
            and a.step.command == b.step.command
            and a.where == b.where
        ),
    ):
        for old in list(gone):
            match = next((n for n in left if rule(old, n)), None)
            if match is not None:
                pairs.append((old, match))
                gone.remove(old)
                left.remove(match)
    return pairs


def _where_text(placed: _Placed, rollback: bool) -> str:
    if rollback:
        return f"step {placed.pos}"
    return f"{placed.where}, step {placed.pos}"


def _steps(
    out: _Builder,
    group: str,
    old: dict[str, _Placed],
    new: dict[str, _Placed],
    path_of: Callable[[_Placed], str],
    *,
    rollback: bool,
) -> None:
    noun = "rollback step" if rollback else "step"
    gone = [p for uid, p in old.items() if uid not in new]
    fresh = [p for uid, p in new.items() if uid not in old]
    renamed = _renames(gone, fresh)
    pairs: dict[str, _Placed] = {uid: old[uid] for uid in new if uid in old}
    for before, after in renamed:
        pairs[after.uid] = before
    for placed in gone:
        reason = f"rollback step '{placed.uid}' removed" if rollback else ""
        out.add(
            Change(
                group,
                path_of(placed),
                "removed",
                old=placed.step.title,
                label=f"{noun} '{placed.uid}'",
                details=_step_details(placed.step),
                risk_up=bool(reason),
                reason=reason,
            )
        )
    # Moves: to another phase, or reordered within one relative to the steps around it.
    reordered: set[str] = set()
    for where in {p.where for p in new.values()}:
        stays = [
            p.uid
            for p in new.values()
            if p.where == where and p.uid in pairs and pairs[p.uid].where == where
        ]
        old_order = sorted(stays, key=lambda uid: pairs[uid].pos)
        reordered |= set(_reordered(old_order, stays))
    fresh_ids = {p.uid for p in fresh} - {after.uid for _b, after in renamed}
    for uid, placed in new.items():
        path = path_of(placed)
        label = f"{noun} '{uid}'"
        if uid in fresh_ids:
            step = placed.step
            reason = ""
            if step.command is not None and step.verify is None:
                reason = f"new {noun} '{uid}' runs a command without a verify command"
            out.add(
                Change(
                    group,
                    path,
                    "added",
                    new=step.title,
                    label=label,
                    details=_step_details(step),
                    risk_up=bool(reason),
                    reason=reason,
                )
            )
            continue
        before = pairs[uid]
        if before.uid != uid:
            out.add(Change(group, path, "renamed", old=before.uid, new=uid, label=label))
        if before.where != placed.where or uid in reordered:
            out.add(
                Change(
                    group,
                    path,
                    "moved",
                    old=_where_text(before, rollback),
                    new=_where_text(placed, rollback),
                    label=label,
                )
            )
        _step_fields(out, group, path, label, before.step, placed.step)


def _step_fields(out: _Builder, group: str, path: str, label: str, a: Step, b: Step) -> None:
    out.value(group, f"{path}.title", f"{label} title", a.title, b.title)
    out.value(group, f"{path}.owner", f"{label} owner", a.owner, b.owner)

    def command_without_verify(before: object, after: object) -> str:
        if before is None and after is not None and b.verify is None:
            return f"{label} got a command without a verify command"
        return ""

    out.value(
        group,
        f"{path}.command",
        f"{label} command",
        a.command,
        b.command,
        _CODE,
        risk=command_without_verify,
    )
    out.value(
        group,
        f"{path}.verify",
        f"{label} verify",
        a.verify,
        b.verify,
        _CODE,
        risk=_verify_removed(label),
    )
    out.value(group, f"{path}.expected", f"{label} expected", a.expected, b.expected, _PROSE)
    out.value(group, f"{path}.duration", f"{label} duration", a.duration, b.duration)
    out.value(group, f"{path}.notes", f"{label} notes", a.notes, b.notes, _PROSE)


def _phases(out: _Builder, old: Plan, new: Plan) -> None:
    g = "phases"
    ka, kb = _phase_keys(old.phases), _phase_keys(new.phases)
    pa, pb = dict(zip(ka, old.phases, strict=True)), dict(zip(kb, new.phases, strict=True))
    for key, phase in pa.items():
        if key not in pb:
            out.add(
                Change(
                    g,
                    f"phases[{key}]",
                    "removed",
                    old=_phase_text(phase),
                    label=f"phase '{key}'",
                )
            )
    moved = set(_reordered(ka, kb))
    for pos, (key, phase) in enumerate(pb.items(), start=1):
        path = f"phases[{key}]"
        label = f"phase '{key}'"
        if key not in pa:
            out.add(Change(g, path, "added", new=_phase_text(phase), label=label))
            continue
        if key in moved:
            out.add(
                Change(
                    g,
                    path,
                    "moved",
                    old=f"position {ka.index(key) + 1}",
                    new=f"position {pos}",
                    label=label,
                )
            )
        out.value(g, f"{path}.title", f"{label} title", pa[key].title, phase.title)
        out.value(g, f"{path}.duration", f"{label} duration", pa[key].duration, phase.duration)
    steps_a = _place(list(zip(ka, (p.steps for p in old.phases), strict=True)), "")
    steps_b = _place(list(zip(kb, (p.steps for p in new.phases), strict=True)), "")
    _steps(
        out,
        g,
        steps_a,
        steps_b,
        lambda p: f"phases[{p.where}].steps[{p.uid}]",
        rollback=False,
    )


def _phase_text(phase: Phase) -> str:
    count = len(phase.steps)
    name = phase.title or phase.phase
    return f"{name} ({count} step{'s' if count != 1 else ''})"


# --- rollback --------------------------------------------------------------------------------

_WORDS = (
    (re.compile(r"\b(?:above|over|more than|greater than|exceeds?|higher than)\b", re.I), ">"),
    (re.compile(r"\b(?:below|under|less than|lower than|drops? below|fewer than)\b", re.I), "<"),
)
_MEASURE = re.compile(r"(>=|<=|=>|=<|≥|≤|>|<)\s*([-+]?\d+(?:[.,]\d+)?)\s*(%|[A-Za-z/]+)?")


def _measure(text: str | None, hint: str | None = None) -> tuple[str, float, str] | None:
    """``(direction, number, unit)`` of a threshold such as ``> 0.05`` or ``above 5%``.

    ``direction`` is ``>`` when a higher number fires later (looser), ``<`` when a lower
    one does. A bare number takes its direction from ``hint`` (the condition text).
    """
    if not text:
        return None
    norm = text
    for regex, symbol in _WORDS:
        norm = regex.sub(symbol, norm)
    match = _MEASURE.search(norm)
    if match is None:
        bare = re.fullmatch(r"\s*([-+]?\d+(?:[.,]\d+)?)\s*(%|[A-Za-z/]+)?\s*", text)
        hinted = _measure(hint) if hint else None
        if bare is None or hinted is None:
            return None
        return hinted[0], float(bare.group(1).replace(",", ".")), (bare.group(2) or "").lower()
    op = match.group(1)
    direction = ">" if op in (">", ">=", "=>", "≥") else "<"
    return direction, float(match.group(2).replace(",", ".")), (match.group(3) or "").lower()


def _loosened(before: str | None, after: str | None, hint: str | None) -> str:
    """``"higher"`` or ``"lower"`` when threshold ``after`` fires later than ``before``."""
    a, b = _measure(before, hint), _measure(after, hint)
    if a is None or b is None or a[0] != b[0] or a[2] != b[2]:
        return ""
    if a[0] == ">" and b[1] > a[1]:
        return "higher"
    if a[0] == "<" and b[1] < a[1]:
        return "lower"
    return ""


def _match_triggers(
    old: list[Trigger], new: list[Trigger]
) -> tuple[list[tuple[Trigger, Trigger]], list[Trigger], list[Trigger]]:
    """Pairs by condition text, then by metric, then by near-identical condition text."""
    left_a, left_b = list(old), list(new)
    pairs: list[tuple[Trigger, Trigger]] = []
    rules: list[Callable[[Trigger, Trigger], bool]] = [
        lambda a, b: a.condition == b.condition,
        lambda a, b: a.metric is not None and norm_token(a.metric) == norm_token(b.metric or ""),
        lambda a, b: (
            a.metric == b.metric
            and difflib.SequenceMatcher(None, a.condition, b.condition).ratio() >= 0.8
        ),
    ]
    for rule in rules:
        for a in list(left_a):
            match = next((b for b in left_b if rule(a, b)), None)
            if match is not None:
                pairs.append((a, match))
                left_a.remove(a)
                left_b.remove(match)
    return pairs, left_a, left_b


def _trigger_details(trigger: Trigger) -> tuple[Detail, ...]:
    return _details(
        [
            ("metric", trigger.metric, _TEXT),
            ("threshold", trigger.threshold, _TEXT),
            ("window", trigger.window, _TEXT),
            ("dashboard", trigger.dashboard, _TEXT),
        ]
    )


def _short(text: str, size: int = 60) -> str:
    return text if len(text) <= size else text[: size - 1].rstrip() + "…"


def _triggers(out: _Builder, old: Plan, new: Plan) -> None:
    g = "rollback"
    pairs, gone, fresh = _match_triggers(old.rollback.triggers, new.rollback.triggers)
    for trig in gone:
        name = _short(trig.condition)
        out.add(
            Change(
                g,
                f"rollback.triggers[{trig.condition}]",
                "removed",
                old=trig.condition,
                label=f"trigger '{name}'",
                details=_trigger_details(trig),
                risk_up=True,
                reason=f"rollback trigger '{name}' removed",
            )
        )
    for trig in fresh:
        out.add(
            Change(
                g,
                f"rollback.triggers[{trig.condition}]",
                "added",
                new=trig.condition,
                label=f"trigger '{_short(trig.condition)}'",
                details=_trigger_details(trig),
            )
        )
    for a, b in pairs:
        _trigger_pair(out, a, b)


def _trigger_pair(out: _Builder, a: Trigger, b: Trigger) -> None:
    g = "rollback"
    path = f"rollback.triggers[{b.condition}]"
    label = f"trigger '{_short(b.condition)}'"

    def condition_loosened(before: object, after: object) -> str:
        if a.threshold is None and b.threshold is None:
            side = _loosened(a.condition, b.condition, None)
            if side:
                return f"{label} loosened: a {side} number in its condition fires later"
        return ""

    def threshold_risk(before: object, after: object) -> str:
        side = _loosened(a.threshold, b.threshold, b.condition)
        if side:
            return f"{label} loosened: threshold {before} -> {after}, a {side} value fires later"
        if is_measurable(a) and not is_measurable(b):
            return f"{label} lost its threshold: it is no longer measurable"
        return ""

    def window_longer(before: object, after: object) -> str:
        if (
            isinstance(before, str)
            and isinstance(after, str)
            and duration_seconds(after) > duration_seconds(before)
        ):
            return f"{label} loosened: window {before} -> {after}, it fires later"
        return ""

    out.value(
        g,
        f"{path}.condition",
        f"{label} condition",
        a.condition,
        b.condition,
        risk=condition_loosened,
    )
    out.value(g, f"{path}.metric", f"{label} metric", a.metric, b.metric)
    out.value(
        g, f"{path}.threshold", f"{label} threshold", a.threshold, b.threshold, risk=threshold_risk
    )
    out.value(g, f"{path}.window", f"{label} window", a.window, b.window, risk=window_longer)
    out.value(g, f"{path}.dashboard", f"{label} dashboard", a.dashboard, b.dashboard)


def _rollback(out: _Builder, old: Plan, new: Plan) -> None:
    g = "rollback"
    a, b = old.rollback, new.rollback

    def owner_gone(before: object, after: object) -> str:
        if before and not str(after or "").strip():
            return "the rollback owner was removed: nobody is named to decide on a rollback"
        return ""

    out.value(g, "rollback.owner", "rollback owner", a.owner, b.owner, risk=owner_gone)
    _triggers(out, old, new)
    out.value(
        g,
        "rollback.expected_duration",
        "rollback expected duration",
        a.expected_duration,
        b.expected_duration,
    )
    _steps(
        out,
        g,
        _place([("rollback", a.steps)], "rollback-"),
        _place([("rollback", b.steps)], "rollback-"),
        lambda p: f"rollback.steps[{p.uid}]",
        rollback=True,
    )
    out.value(g, "rollback.database", "rollback database notes", a.database, b.database, _PROSE)


# --- checklists, review, communications, outcome, lint --------------------------------------


def _checklists(out: _Builder, old: Plan, new: Plan) -> None:
    g = "checklists"

    def compare(path: str, label: str, a: Checklist, b: Checklist) -> None:
        for item in a.items:
            if item not in b.items:
                out.add(Change(g, f"{path}.items", "removed", old=item, label=f"{label} item"))
        for item in b.items:
            if item not in a.items:
                out.add(Change(g, f"{path}.items", "added", new=item, label=f"{label} item"))

    _matched(
        out,
        g,
        (_keyed(old.checklists, lambda c: c.title), _keyed(new.checklists, lambda c: c.title)),
        path=lambda key: f"checklists[{key}]",
        label=lambda key: f"checklist '{key}'",
        summary=lambda _, checklist: f"{len(checklist.items)} items",
        compare=compare,
        details=lambda checklist: tuple(Detail("item", item) for item in checklist.items),
        details_when_removed=True,
    )


def _review(out: _Builder, old: Plan, new: Plan) -> None:
    g = "review"

    def compare(path: str, label: str, a: Reviewer, b: Reviewer) -> None:
        out.value(g, f"{path}.role", f"{label} role", a.role, b.role)
        out.value(g, f"{path}.approved", f"{label} approval", a.approved, b.approved)

    _matched(
        out,
        g,
        (
            _keyed(old.review.reviewers if old.review else [], lambda r: r.name),
            _keyed(new.review.reviewers if new.review else [], lambda r: r.name),
        ),
        path=lambda key: f"review.reviewers[{key}]",
        label=lambda key: f"reviewer '{key}'",
        summary=lambda key, who: who.role or key,
        compare=compare,
        details=lambda who: _details(
            [("role", who.role, _TEXT), ("approved", who.approved, _TEXT)]
        ),
    )


def _communications(out: _Builder, old: Plan, new: Plan) -> None:
    g = "communications"

    def key(c: Communication) -> str:
        return f"{c.when} {c.audience}"

    def compare(path: str, label: str, a: Communication, b: Communication) -> None:
        out.value(g, f"{path}.channel", f"{label} channel", a.channel, b.channel)
        out.value(g, f"{path}.message", f"{label} text", a.message, b.message)

    _matched(
        out,
        g,
        (_keyed(old.communications, key), _keyed(new.communications, key)),
        path=lambda name: f"communications[{name}]",
        label=lambda name: f"message '{name}'",
        summary=lambda name, item: item.message or name,
        compare=compare,
        details=lambda item: _details([("channel", item.channel, _TEXT)]),
    )


def _outcome(out: _Builder, old: Plan, new: Plan) -> None:
    g = "outcome"
    a, b = old.outcome, new.outcome
    if a is None and b is None:
        return
    if a is None or b is None:
        gone = b is None
        item = a if gone else b
        assert item is not None
        details = _details(
            [
                ("started", item.started, _TEXT),
                ("finished", item.finished, _TEXT),
                ("notes", item.notes, _PROSE),
            ]
        )
        out.add(
            Change(
                g,
                "outcome",
                "removed" if gone else "added",
                old=item.result if gone else None,
                new=None if gone else item.result,
                label="outcome",
                details=details,
            )
        )
        return
    out.value(g, "outcome.result", "outcome", a.result, b.result)
    out.value(g, "outcome.started", "outcome start", a.started, b.started)
    out.value(g, "outcome.finished", "outcome end", a.finished, b.finished)
    out.value(g, "outcome.notes", "outcome notes", a.notes, b.notes, _PROSE)


def _lint(out: _Builder, old: Plan, new: Plan) -> None:
    a = old.lint.ignore if old.lint else {}
    b = new.lint.ignore if new.lint else {}
    for rule in [*a, *(r for r in b if r not in a)]:
        out.value("lint", f"lint.ignore.{rule}", f"silenced rule {rule}", a.get(rule), b.get(rule))


_SECTIONS = (
    _metadata,
    _risk,
    _strategy,
    _roles,
    _migrations,
    _phases,
    _rollback,
    _checklists,
    _review,
    _communications,
    _outcome,
    _lint,
)


def diff_plans(
    old: Plan | None,
    new: Plan | None,
    *,
    old_label: str = "old",
    new_label: str = "new",
) -> PlanDiff:
    """Every change from ``old`` to ``new``; ``None`` is a plan that does not exist there.

    Pass plans from ``load_plan``/``load_text`` (they carry derived step ids). The result
    lists changes group by group (:data:`GROUPS`), each group in plan order.
    """
    result = PlanDiff(old_label=old_label, new_label=new_label)
    if old is None and new is None:
        return result
    if old is None or new is None:
        plan = new if old is None else old
        assert plan is not None
        result.changes.append(
            Change(
                "plan",
                "",
                "added" if old is None else "removed",
                old=None if old is None else plan.display_title,
                new=plan.display_title if old is None else None,
                label="plan",
            )
        )
        return result
    out = _Builder()
    for section in _SECTIONS:
        section(out, old, new)
    result.changes = sorted(out.changes, key=lambda c: _GROUP_ORDER.get(c.group, 99))
    return result


# --- renderers -------------------------------------------------------------------------------


def _count(diff: PlanDiff) -> str:
    n, r = len(diff.changes), len(diff.risk_flags)
    changes = f"{n} change{'s' if n != 1 else ''}"
    return f"{changes}, {r} raise{'s' if r == 1 else ''} risk"


def _summary(change: Change, arrow: str = "->") -> str:
    """``old -> new`` (or the one side) as one line, for a change without a block."""
    a, b = change.old, change.new
    if change.kind == "moved":
        return f"from {a} to {b}"
    if change.kind == "renamed":
        return f"id {a} {arrow} {b}"
    if a is not None and b is not None:
        return f"{a} {arrow} {b}"
    return (b if b is not None else a) or ""


def _blocky(change: Change) -> bool:
    """Whether the change shows its value(s) as a block rather than on one line."""
    if change.diff:
        return True
    value = change.new if change.new is not None else change.old
    return change.kind in ("added", "removed") and (
        change.code or (value is not None and "\n" in value.rstrip("\n"))
    )


blocky = _blocky
summary_line = _summary


def to_text(diff: PlanDiff) -> str:
    """Plain text for a terminal: a header, the risk flags, then each group's changes."""
    lines = [f"--- {diff.old_label}", f"+++ {diff.new_label}"]
    if diff.same:
        lines.append("no changes")
        return "\n".join(lines) + "\n"
    lines.append(_count(diff))
    if diff.risk_flags:
        lines += ["", "Raises risk:"]
        lines += [f"  ! {c.path or c.label}: {c.reason}" for c in diff.risk_flags]
    for _name, title, changes in diff.groups():
        lines += ["", title]
        for c in changes:
            head = f"  {c.kind:<8} {c.path or c.label}"
            if c.diff:
                lines.append(head)
                lines += [f"             {line}" for line in c.diff]
            elif _blocky(c):
                lines.append(head + ":")
                value = (c.new if c.new is not None else c.old) or ""
                lines += [f"             | {line}" for line in value.rstrip("\n").split("\n")]
            else:
                lines.append(f"{head}: {_summary(c)}")
            for d in c.details:
                first, *rest = d.value.rstrip("\n").split("\n")
                lines.append(f"             {d.name}: {first}")
                lines += [f"             {' ' * len(d.name)}  {line}" for line in rest]
            if c.risk_up:
                lines.append(f"             ! raises risk: {c.reason}")
    return "\n".join(lines) + "\n"


# The characters Python-Markdown (with tables) gives a meaning to; GitHub and Python-Markdown
# both undo the backslash escapes.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|])")


def _md(text: str) -> str:
    """Plain text shown literally in Markdown, on one line: HTML-escaped, punctuation
    backslash-escaped, hidden characters and line breaks other than LF as ``<U+XXXX>``."""
    escaped = _MD_SPECIAL.sub(r"\\\1", html.escape(visible(text), quote=False))
    return " ".join(escaped.split("\n"))


def _code_span(text: str) -> str:
    """Inline code on one line whose delimiter is longer than any backtick run inside.

    Code spans show ``<`` and ``&`` as text in Python-Markdown and CommonMark alike."""
    text = " ".join(visible(text).split("\n"))
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    tick = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return f"{tick}{pad}{text}{pad}{tick}"


def _fence(body: str, lang: str) -> list[str]:
    """A fenced code block whose fence is longer than any backtick run in ``body``."""
    longest = max((len(m) for m in re.findall(r"`+", body)), default=0)
    fence = "`" * max(3, longest + 1)
    text = visible(body[:-1] if body.endswith("\n") else body)
    return [f"{fence}{lang}", *text.split("\n"), fence, ""]


def to_markdown(diff: PlanDiff, *, heading_level: int = 3, header: bool = True) -> str:
    """Markdown to embed in a page: no raw HTML, shell text in fenced code blocks.

    Each group gets a heading of ``heading_level`` (``0``: a bold line instead). With
    ``header``, a first paragraph names both sides and counts the changes, and the risk
    flags follow as a list.
    """
    lines: list[str] = []
    if header:
        sides = f"{_code_span(diff.old_label)} → {_code_span(diff.new_label)}"
        if diff.same:
            return f"No changes: {sides}.\n"
        lines += [f"**{_md(_count(diff))}**: {sides}.", ""]
        if diff.risk_flags:
            lines += ["**Raises risk:**", ""]
            lines += [
                f"- {_code_span(c.path or c.label)}: {_md(c.reason.replace(' -> ', ' → '))}"
                for c in diff.risk_flags
            ]
            lines.append("")
    elif diff.same:
        return "No changes.\n"
    for _name, title, changes in diff.groups():
        if heading_level > 0:
            lines += [f"{'#' * heading_level} {_md(title)}", ""]
        else:
            lines += [f"**{_md(title)}**", ""]
        in_list = False
        for c in changes:
            head = f"**{c.kind}** {_code_span(c.path or c.label)}"
            risk = (
                f" — **raises risk:** {_md(c.reason.replace(' -> ', ' → '))}" if c.risk_up else ""
            )
            if not _blocky(c) and not c.details:
                lines.append(f"- {head}: {_md(_summary(c, '→'))}{risk}")
                in_list = True
                continue
            if in_list:
                lines.append("")
                in_list = False
            if c.diff:
                lines += [f"{head}{risk}", ""]
                lines += _fence("\n".join(c.diff), "diff")
            elif _blocky(c):
                lines += [f"{head}{risk}", ""]
                value = (c.new if c.new is not None else c.old) or ""
                lines += _fence(value, "sh" if c.code else "text")
            else:
                lines += [f"{head}: {_md(_summary(c, '→'))}{risk}", ""]
            simple = [d for d in c.details if not d.code and "\n" not in d.value.rstrip("\n")]
            if simple:
                lines += [f"- {_md(d.name)}: {_md(d.value)}" for d in simple]
                lines.append("")
            for d in c.details:
                if d not in simple:
                    lines += [f"{_md(d.name)}:", ""]
                    lines += _fence(d.value, "sh" if d.code else "text")
        if in_list:
            lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def to_json(diff: PlanDiff) -> str:
    """The diff as a JSON document (see :meth:`PlanDiff.as_dict`)."""
    return json.dumps(diff.as_dict(), indent=2, ensure_ascii=False) + "\n"
