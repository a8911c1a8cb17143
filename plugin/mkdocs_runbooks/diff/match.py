"""Matching items of two plans by what names them, and telling which ones moved."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

__all__ = ["keyed", "pair_by", "reordered"]

T = TypeVar("T")
U = TypeVar("U")


def keyed(items: Iterable[T], key: Callable[[T], str]) -> dict[str, T]:
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


def pair_by(
    old: list[T], new: list[U], rules: Sequence[Callable[[T, U], bool]]
) -> list[tuple[T, U]]:
    """Pairs ``(a, b)`` found rule by rule, each item in at most one pair; the paired items
    are taken out of ``old`` and ``new`` (what is left is unmatched)."""
    pairs: list[tuple[T, U]] = []
    for rule in rules:
        for a in list(old):
            match = next((b for b in new if rule(a, b)), None)
            if match is not None:
                pairs.append((a, match))
                old.remove(a)
                new.remove(match)
    return pairs


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


def reordered(old_order: Sequence[str], new_order: Sequence[str]) -> list[str]:
    """Keys present in both orders that moved relative to the others (fewest possible)."""
    common = set(old_order) & set(new_order)
    a = [k for k in old_order if k in common]
    b = [k for k in new_order if k in common]
    stay = _lcs(a, b)
    return [k for k in b if k not in stay]
