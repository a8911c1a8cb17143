"""Collecting changes: one field, the fields of two model items, or two keyed collections."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from .changes import Change, Detail, Kind
from .match import reordered
from .risk import FIELD_RULES, Edit
from .values import How, how_of, line_diff, show

__all__ = ["Builder", "Items", "details"]

T = TypeVar("T")

Risk = Callable[[object, object], str]


def _join(head: str, tail: str, sep: str) -> str:
    return f"{head}{sep}{tail}" if head else tail


def details(item: BaseModel, names: Iterable[str]) -> tuple[Detail, ...]:
    """The fields ``names`` of an added or removed item that have a value."""
    out: list[Detail] = []
    for name in names:
        text = show(getattr(item, name))
        if text is not None:
            out.append(Detail(name, text, code=how_of(type(item), name) is How.CODE))
    return tuple(out)


def _no_details(_item: object) -> tuple[Detail, ...]:
    return ()


def _no_risk(_item: object) -> str:
    return ""


@dataclass(frozen=True)
class Items(Generic[T]):
    """How :meth:`Builder.items` names, summarises and compares one kind of keyed item."""

    path: Callable[[str], str]
    label: Callable[[str], str]
    summary: Callable[[str, T], str | None]
    compare: Callable[[str, str, T, T], None]
    details: Callable[[T], tuple[Detail, ...]] = _no_details
    removed_details: bool = False
    """Removed items list their details too."""
    added_risk: Callable[[T], str] = _no_risk
    """Why an added item raises risk ('' when it does not)."""
    moves: bool = False
    """Report items that moved relative to the others."""


class Builder:
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
        *,
        how: How = How.TEXT,
        risk: Risk | None = None,
    ) -> Change | None:
        """A change of one field, or nothing when both sides show the same."""
        a, b = show(old), show(new)
        if a == b:
            return None
        kind: Kind = "changed" if a is not None and b is not None else "added"
        if a is not None and b is None:
            kind = "removed"
        diff: tuple[str, ...] = ()
        if kind == "changed" and a is not None and b is not None:
            multiline = "\n" in a.rstrip("\n") or "\n" in b.rstrip("\n")
            if how is not How.TEXT or multiline:
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
                code=how is How.CODE,
                diff=diff,
            )
        )

    def fields(
        self,
        group: str,
        path: str,
        label: str,
        old: BaseModel | None,
        new: BaseModel | None,
        names: Sequence[tuple[str, str]],
    ) -> None:
        """Changes of the fields ``(name, label word)`` of two items of one model: compared
        and shown as their type says, with the risk rules of :data:`risk.FIELD_RULES`."""
        item = new if new is not None else old
        if item is None:
            return
        model = type(item)
        for name, word in names:
            field_label = _join(label, word, " ")
            rule = FIELD_RULES.get((model, name))
            risk: Risk | None = None
            if rule is not None:
                risk = _bind(rule, label, old, new)
            self.value(
                group,
                _join(path, name, "."),
                field_label,
                None if old is None else getattr(old, name),
                None if new is None else getattr(new, name),
                how=how_of(model, name),
                risk=risk,
            )

    def items(self, group: str, old: dict[str, T], new: dict[str, T], spec: Items[T]) -> None:
        """Items matched by key across two plans: removed ones, added ones (with their
        details), moved ones (with ``spec.moves``) and, for items in both, whatever
        ``spec.compare(path, label, old, new)`` reports."""
        for key, item in old.items():
            if key not in new:
                more = spec.details(item) if spec.removed_details else ()
                self.add(
                    Change(
                        group,
                        spec.path(key),
                        "removed",
                        old=spec.summary(key, item),
                        label=spec.label(key),
                        details=more,
                    )
                )
        moved = set(reordered(list(old), list(new))) if spec.moves else set()
        for pos, (key, item) in enumerate(new.items(), start=1):
            path, label = spec.path(key), spec.label(key)
            if key not in old:
                reason = spec.added_risk(item)
                self.add(
                    Change(
                        group,
                        path,
                        "added",
                        new=spec.summary(key, item),
                        label=label,
                        details=spec.details(item),
                        risk_up=bool(reason),
                        reason=reason,
                    )
                )
                continue
            if key in moved:
                before = f"position {list(old).index(key) + 1}"
                self.add(
                    Change(group, path, "moved", old=before, new=f"position {pos}", label=label)
                )
            spec.compare(path, label, old[key], item)


def _bind(rule: Callable[[Edit], str], label: str, old: Any, new: Any) -> Risk:
    return lambda before, after: rule(Edit(label, old, new, before, after))
