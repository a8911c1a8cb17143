"""Comparers of the plan's sections other than phases and rollback (see :mod:`.steps`,
:mod:`.rollback`). Each compares one section of two plans into a :class:`Builder`."""

from __future__ import annotations

from ..model import Checklist, Communication, Migration, Plan, Reviewer, Role
from .builder import Builder, Items, details
from .changes import Change, Detail
from .match import keyed
from .risk import added_migration_risk

__all__ = [
    "checklists",
    "communications",
    "lint",
    "metadata",
    "migrations",
    "outcome",
    "review",
    "risk",
    "roles",
    "strategy",
]


def metadata(out: Builder, old: Plan, new: Plan) -> None:
    g = "metadata"
    names = ("service", "release", "environment", "title", "date", "status")
    out.fields(g, "", "", old, new, [(key, key) for key in names])
    out.fields(
        g,
        "window",
        "window",
        old.window,
        new.window,
        [("start", "start"), ("duration", "duration")],
    )
    out.fields(g, "", "", old, new, [("summary", "summary")])
    old_links = keyed(old.links, lambda link: link.title)
    new_links = keyed(new.links, lambda link: link.title)
    for key, link in old_links.items():
        if key not in new_links:
            out.add(Change(g, f"links[{key}]", "removed", old=link.url, label=f"link '{key}'"))
    for key, link in new_links.items():
        if key not in old_links:
            out.add(Change(g, f"links[{key}]", "added", new=link.url, label=f"link '{key}'"))
        else:
            out.fields(
                g, f"links[{key}]", f"link '{key}'", old_links[key], link, [("url", "address")]
            )


def risk(out: Builder, old: Plan, new: Plan) -> None:
    names = [
        ("level", "risk level"),
        ("breaking_changes", "breaking changes"),
        ("user_impact", "user impact"),
        ("rollback_complexity", "rollback complexity"),
        ("notes", "risk notes"),
    ]
    out.fields("risk", "risk", "", old.risk, new.risk, names)


def strategy(out: Builder, old: Plan, new: Plan) -> None:
    g = "strategy"
    a, b = old.strategy, new.strategy
    out.fields(
        g, "strategy", "", a, b, [("pattern", "strategy"), ("rationale", "strategy rationale")]
    )
    pa, pb = a.parameters or {}, b.parameters or {}
    for key in [*pa, *(k for k in pb if k not in pa)]:
        out.value(
            g, f"strategy.parameters.{key}", f"strategy parameter '{key}'", pa.get(key), pb.get(key)
        )


def roles(out: Builder, old: Plan, new: Plan) -> None:
    def compare(path: str, label: str, a: Role, b: Role) -> None:
        out.fields("roles", path, label, a, b, [("name", "person"), ("contact", "contact")])

    out.items(
        "roles",
        keyed(old.roles, lambda r: r.role),
        keyed(new.roles, lambda r: r.role),
        Items(
            path=lambda key: f"roles[{key}]",
            label=lambda key: f"role '{key}'",
            summary=lambda _, role: role.name,
            compare=compare,
        ),
    )


_MIGRATION_FIELDS = (
    ("description", "description"),
    ("phase", "phase"),
    ("breaking", "breaking"),
    ("reversible", "reversible"),
    ("command", "command"),
    ("verify", "verify"),
    ("rollback", "rollback"),
    ("tested_in", "tested in"),
)
_MIGRATION_DETAILS = ("phase", "breaking", "reversible", "command", "verify", "rollback")


def migrations(out: Builder, old: Plan, new: Plan) -> None:
    g = "migrations"
    ma, mb = old.migrations, new.migrations
    out.fields(g, "migrations", "", ma, mb, [("strategy", "migration strategy")])

    def compare(path: str, label: str, a: Migration, b: Migration) -> None:
        out.fields(g, path, label, a, b, _MIGRATION_FIELDS)

    out.items(
        g,
        keyed(ma.items if ma else [], lambda m: m.id),
        keyed(mb.items if mb else [], lambda m: m.id),
        Items(
            path=lambda key: f"migrations.items[{key}]",
            label=lambda key: f"migration {key}",
            summary=lambda _, item: item.description,
            compare=compare,
            details=lambda item: details(item, _MIGRATION_DETAILS),
            removed_details=True,
            added_risk=added_migration_risk,
            moves=True,
        ),
    )
    out.fields(g, "migrations", "", ma, mb, [("rollback_plan", "database rollback plan")])


def checklists(out: Builder, old: Plan, new: Plan) -> None:
    g = "checklists"

    def compare(path: str, label: str, a: Checklist, b: Checklist) -> None:
        for item in a.items:
            if item not in b.items:
                out.add(Change(g, f"{path}.items", "removed", old=item, label=f"{label} item"))
        for item in b.items:
            if item not in a.items:
                out.add(Change(g, f"{path}.items", "added", new=item, label=f"{label} item"))

    out.items(
        g,
        keyed(old.checklists, lambda c: c.title),
        keyed(new.checklists, lambda c: c.title),
        Items(
            path=lambda key: f"checklists[{key}]",
            label=lambda key: f"checklist '{key}'",
            summary=lambda _, checklist: f"{len(checklist.items)} items",
            compare=compare,
            details=lambda checklist: tuple(Detail("item", item) for item in checklist.items),
            removed_details=True,
        ),
    )


def review(out: Builder, old: Plan, new: Plan) -> None:
    g = "review"

    def compare(path: str, label: str, a: Reviewer, b: Reviewer) -> None:
        out.fields(g, path, label, a, b, [("role", "role"), ("approved", "approval")])

    out.items(
        g,
        keyed(old.review.reviewers if old.review else [], lambda r: r.name),
        keyed(new.review.reviewers if new.review else [], lambda r: r.name),
        Items(
            path=lambda key: f"review.reviewers[{key}]",
            label=lambda key: f"reviewer '{key}'",
            summary=lambda key, who: who.role or key,
            compare=compare,
            details=lambda who: details(who, ("role", "approved")),
        ),
    )


def communications(out: Builder, old: Plan, new: Plan) -> None:
    g = "communications"

    def key(c: Communication) -> str:
        return f"{c.when} {c.audience}"

    def compare(path: str, label: str, a: Communication, b: Communication) -> None:
        out.fields(g, path, label, a, b, [("channel", "channel"), ("message", "text")])

    out.items(
        g,
        keyed(old.communications, key),
        keyed(new.communications, key),
        Items(
            path=lambda name: f"communications[{name}]",
            label=lambda name: f"message '{name}'",
            summary=lambda name, item: item.message or name,
            compare=compare,
            details=lambda item: details(item, ("channel",)),
        ),
    )


def outcome(out: Builder, old: Plan, new: Plan) -> None:
    g = "outcome"
    a, b = old.outcome, new.outcome
    if a is None and b is None:
        return
    if a is None or b is None:
        gone = b is None
        item = a if gone else b
        assert item is not None
        out.add(
            Change(
                g,
                "outcome",
                "removed" if gone else "added",
                old=item.result if gone else None,
                new=None if gone else item.result,
                label="outcome",
                details=details(item, ("started", "finished", "notes")),
            )
        )
        return
    names = [
        ("result", "outcome"),
        ("started", "outcome start"),
        ("finished", "outcome end"),
        ("notes", "outcome notes"),
    ]
    out.fields(g, "outcome", "", a, b, names)


def lint(out: Builder, old: Plan, new: Plan) -> None:
    a = old.lint.ignore if old.lint else {}
    b = new.lint.ignore if new.lint else {}
    for rule in [*a, *(r for r in b if r not in a)]:
        out.value("lint", f"lint.ignore.{rule}", f"silenced rule {rule}", a.get(rule), b.get(rule))
