"""Steps, matched by step id across phases (a step may move, or be renamed), and phases."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..load import derive_step_id
from ..model import Phase, Plan, Step
from .builder import Builder, Items, details
from .changes import Change
from .match import keyed, pair_by, reordered
from .risk import added_step_risk, removed_rollback_step_risk

__all__ = ["Placed", "phases", "place", "steps"]

_STEP_FIELDS = (
    ("title", "title"),
    ("owner", "owner"),
    ("command", "command"),
    ("verify", "verify"),
    ("expected", "expected"),
    ("duration", "duration"),
    ("notes", "notes"),
)
_STEP_DETAILS = ("owner", "command", "verify", "expected", "duration")


@dataclass
class Placed:
    step: Step
    uid: str
    where: str
    """Phase key (``pre-deployment``, ``monitoring#2``) or ``rollback``."""
    pos: int
    """1-based position in its phase."""


def place(groups: Sequence[tuple[str, Sequence[Step]]], prefix: str) -> dict[str, Placed]:
    """Every step by id; a plan built without the loader gets ids derived as it would."""
    taken: set[str] = set()
    out: dict[str, Placed] = {}
    for where, items in groups:
        for pos, step in enumerate(items, start=1):
            uid = step.uid or derive_step_id(step.title, taken, prefix)
            if uid in out:  # duplicate ids are a load error; never lose a step
                uid = f"{uid}#{pos}"
            out[uid] = Placed(step, uid, where, pos)
    return out


def _renames(gone: list[Placed], new: list[Placed]) -> list[tuple[Placed, Placed]]:
    """Pairs (removed, added) that are one step under a new id.

    Same title and command; or, for steps whose ids are both derived from the title (no
    explicit ``id``), the same command in the same phase: only the title was edited.
    """
    rules: list[Callable[[Placed, Placed], bool]] = [
        lambda a, b: a.step.title == b.step.title and a.step.command == b.step.command,
        lambda a, b: (
            a.step.id is None
            and b.step.id is None
            and a.step.command is not None
            and a.step.command == b.step.command
            and a.where == b.where
        ),
    ]
    return pair_by(gone, list(new), rules)


def _where_text(placed: Placed, rollback: bool) -> str:
    if rollback:
        return f"step {placed.pos}"
    return f"{placed.where}, step {placed.pos}"


def _reordered_steps(new: dict[str, Placed], pairs: dict[str, Placed]) -> set[str]:
    """Steps that stay in their phase but moved relative to the steps around them."""
    out: set[str] = set()
    for where in {p.where for p in new.values()}:
        stays = [
            p.uid
            for p in new.values()
            if p.where == where and p.uid in pairs and pairs[p.uid].where == where
        ]
        old_order = sorted(stays, key=lambda uid: pairs[uid].pos)
        out |= set(reordered(old_order, stays))
    return out


def _removed(group: str, noun: str, placed: Placed, path: str, *, rollback: bool) -> Change:
    reason = removed_rollback_step_risk(placed.uid) if rollback else ""
    return Change(
        group,
        path,
        "removed",
        old=placed.step.title,
        label=f"{noun} '{placed.uid}'",
        details=details(placed.step, _STEP_DETAILS),
        risk_up=bool(reason),
        reason=reason,
    )


def steps(
    out: Builder,
    group: str,
    old: dict[str, Placed],
    new: dict[str, Placed],
    path_of: Callable[[Placed], str],
    *,
    rollback: bool,
) -> None:
    noun = "rollback step" if rollback else "step"
    gone = [p for uid, p in old.items() if uid not in new]
    fresh = [p for uid, p in new.items() if uid not in old]
    renamed = _renames(gone, fresh)
    pairs: dict[str, Placed] = {uid: old[uid] for uid in new if uid in old}
    for before, after in renamed:
        pairs[after.uid] = before
    for placed in gone:
        out.add(_removed(group, noun, placed, path_of(placed), rollback=rollback))
    moved = _reordered_steps(new, pairs)
    for uid, placed in new.items():
        path, label = path_of(placed), f"{noun} '{uid}'"
        if uid not in pairs:
            reason = added_step_risk(noun, uid, placed.step)
            out.add(
                Change(
                    group,
                    path,
                    "added",
                    new=placed.step.title,
                    label=label,
                    details=details(placed.step, _STEP_DETAILS),
                    risk_up=bool(reason),
                    reason=reason,
                )
            )
            continue
        before = pairs[uid]
        if before.uid != uid:
            out.add(Change(group, path, "renamed", old=before.uid, new=uid, label=label))
        if before.where != placed.where or uid in moved:
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
        out.fields(group, path, label, before.step, placed.step, _STEP_FIELDS)


def _phase_text(_key: str, phase: Phase) -> str:
    count = len(phase.steps)
    name = phase.title or phase.phase
    return f"{name} ({count} step{'s' if count != 1 else ''})"


def phases(out: Builder, old: Plan, new: Plan) -> None:
    g = "phases"
    pa, pb = keyed(old.phases, lambda p: p.phase), keyed(new.phases, lambda p: p.phase)

    def compare(path: str, label: str, a: Phase, b: Phase) -> None:
        out.fields(g, path, label, a, b, [("title", "title"), ("duration", "duration")])

    out.items(
        g,
        pa,
        pb,
        Items(
            path=lambda key: f"phases[{key}]",
            label=lambda key: f"phase '{key}'",
            summary=_phase_text,
            compare=compare,
            moves=True,
        ),
    )
    steps(
        out,
        g,
        place([(key, p.steps) for key, p in pa.items()], ""),
        place([(key, p.steps) for key, p in pb.items()], ""),
        lambda p: f"phases[{p.where}].steps[{p.uid}]",
        rollback=False,
    )
