"""YAML text to plain data, with a place for every key and value, and nothing typed.

PyYAML composes the file into nodes (the libyaml C parser when it is installed); this module
walks the nodes once and builds dicts, lists and *strings exactly as written*. No YAML tag
constructs anything: an unknown tag is a problem, never an object. Aliases are followed with
a budget, so an alias bomb fails fast instead of eating memory.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml
import yaml.reader
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

__all__ = ["Limits", "Loc", "NodeProblem", "SourceMap", "YamlResult", "parse_yaml"]

try:  # pragma: no cover - depends on how PyYAML was built
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

Loc = tuple[str | int, ...]

_YAML = "tag:yaml.org,2002:"
_NULL = _YAML + "null"
_MERGE = _YAML + "merge"
_MAP = _YAML + "map"
_SEQ = _YAML + "seq"
# Tags a plan may carry, explicitly or by YAML's own resolution. Their values stay text.
_SCALAR_TAGS = frozenset(_YAML + t for t in ("str", "int", "float", "bool", "null", "timestamp"))


@dataclass(frozen=True)
class Limits:
    """Bounds on what one plan file may cost to read."""

    max_bytes: int = 1024 * 1024
    max_nodes: int = 200_000
    max_depth: int = 64
    max_scalar: int = 100_000


@dataclass(frozen=True)
class NodeProblem:
    loc: Loc
    line: int
    col: int
    message: str


@dataclass
class SourceMap:
    """1-based ``(line, col)`` of every value and every key, by key path."""

    values: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Loc, tuple[int, int]] = field(default_factory=dict)

    def value(self, loc: Loc) -> tuple[int, int]:
        """Place of the value at ``loc``, or of its nearest ancestor that exists."""
        for i in range(len(loc), -1, -1):
            found = self.values.get(loc[:i])
            if found is not None:
                return found
        return (1, 1)

    def key(self, loc: Loc) -> tuple[int, int]:
        """Place of the key at ``loc`` (the value's place for list items)."""
        return self.keys.get(loc) or self.value(loc)


@dataclass
class YamlResult:
    data: Any
    source: SourceMap
    problems: list[NodeProblem]


class _Budget(Exception):
    pass


def _place(node: Node) -> tuple[int, int]:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


class _Builder:
    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.source = SourceMap()
        self.problems: list[NodeProblem] = []
        self.count = 0

    def problem(self, loc: Loc, node: Node, message: str) -> None:
        line, col = _place(node)
        self.problems.append(NodeProblem(loc, line, col, message))

    def build(self, node: Node, loc: Loc, depth: int) -> Any:
        self.count += 1
        if self.count > self.limits.max_nodes:
            raise _Budget(
                f"the file expands to more than {self.limits.max_nodes:,} values "
                "(aliases that repeat aliases?); plans are small, so it is refused"
            )
        if depth > self.limits.max_depth:
            raise _Budget(f"nesting deeper than {self.limits.max_depth} levels")
        self.source.values.setdefault(loc, _place(node))
        if isinstance(node, ScalarNode):
            return self.scalar(node, loc)
        if isinstance(node, SequenceNode):
            if node.tag != _SEQ:
                self.problem(loc, node, _tag_message(node.tag))
            return [self.build(item, (*loc, i), depth + 1) for i, item in enumerate(node.value)]
        if isinstance(node, MappingNode):
            if node.tag != _MAP:
                self.problem(loc, node, _tag_message(node.tag))
            return self.mapping(node, loc, depth)
        raise TypeError(node)  # pragma: no cover

    def scalar(self, node: ScalarNode, loc: Loc) -> str | None:
        if node.tag not in _SCALAR_TAGS:
            self.problem(loc, node, _tag_message(node.tag))
            return None
        # A plain null (``key:``, ``~``, ``null``); libyaml gives plain scalars style '', not None.
        if node.tag == _NULL and not node.style:
            return None
        value: str = node.value
        if len(value) > self.limits.max_scalar:
            self.problem(loc, node, f"value longer than {self.limits.max_scalar:,} characters")
            return None
        return value

    def _pairs(self, node: MappingNode, loc: Loc, depth: int) -> Iterator[tuple[Node, Node]]:
        """Key/value node pairs, with ``<<`` merge keys expanded after the explicit keys.

        A merged mapping may merge others in turn (``<<`` inside an anchored mapping): it is
        expanded the same way, its own keys first, so the nearest key wins, as YAML's merge
        key says. The expansion counts against the node budget and the depth limit (a
        mapping that merges itself stops there).
        """
        merged: list[tuple[Node, Node]] = []
        for key, value in node.value:
            if key.tag != _MERGE:
                yield key, value
                continue
            sources = value.value if isinstance(value, SequenceNode) else [value]
            for source in sources:
                if not isinstance(source, MappingNode):
                    self.problem(loc, source, "'<<' merges a mapping (or a list of them)")
                    continue
                if source.tag != _MAP:
                    self.problem(loc, source, _tag_message(source.tag))
                    continue
                if depth + 1 > self.limits.max_depth:
                    raise _Budget(f"nesting deeper than {self.limits.max_depth} levels")
                for pair in self._pairs(source, loc, depth + 1):
                    self.count += 1
                    if self.count > self.limits.max_nodes:
                        raise _Budget(
                            f"the file expands to more than {self.limits.max_nodes:,} values "
                            "(aliases that repeat aliases?); plans are small, so it is refused"
                        )
                    merged.append(pair)
        yield from merged

    def mapping(self, node: MappingNode, loc: Loc, depth: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        explicit: dict[str, tuple[int, int]] = {}
        n_explicit = sum(1 for k, _ in node.value if k.tag != _MERGE)
        for i, (key_node, value_node) in enumerate(self._pairs(node, loc, depth)):
            from_merge = i >= n_explicit
            if not isinstance(key_node, ScalarNode) or key_node.tag not in _SCALAR_TAGS:
                self.problem(loc, key_node, "a key must be plain text")
                continue
            key = key_node.value
            if key in out or key in explicit:
                if not from_merge:
                    line, _ = explicit[key]
                    self.problem(
                        (*loc, key),
                        key_node,
                        f"duplicate key '{key}' (first at line {line}); a key may appear "
                        "once in a mapping",
                    )
                continue
            explicit[key] = _place(key_node)
            self.source.keys.setdefault((*loc, key), _place(key_node))
            out[key] = self.build(value_node, (*loc, key), depth + 1)
        return out


def _tag_message(tag: str) -> str:
    shown = "!!" + tag[len(_YAML) :] if tag.startswith(_YAML) else tag
    return (
        f"YAML tag '{shown}' is not allowed: a plan is plain data "
        "(remove the tag; nothing was constructed or run)"
    )


def _char_at(text: str, mark: yaml.Mark | None) -> str:
    """The character at ``mark`` (libyaml's messages do not always name it)."""
    lines = text.split("\n")
    if mark is None or mark.line >= len(lines):
        return ""
    return lines[mark.line][mark.column : mark.column + 1]


def _syntax_advice(error: yaml.MarkedYAMLError, text: str = "") -> str:
    problem = (error.problem or str(error)).strip()
    if "mapping values are not allowed" in problem:
        return (
            "a ': ' inside an unquoted value starts a new mapping: quote the value, or use a "
            "block scalar (key: |) for commands that contain ': '"
        )
    tab = _char_at(text, error.problem_mark) == "\t"
    if tab or "'\\t'" in problem or "tab character" in problem:
        return "tab character: YAML indents with spaces, not tabs"
    if "expected a single document" in (error.context or "") + problem:
        return "more than one YAML document ('---'): a plan file holds exactly one"
    if "found undefined alias" in problem:
        return f"{problem}: an alias (*name) needs an anchor (&name) earlier in the file"
    if "found character" in problem and "cannot start any token" in problem:
        return f"{problem}: quote the value (for example '@alice' or '`cmd`')"
    context = f" ({error.context.strip()})" if error.context else ""
    return f"YAML syntax error: {problem}{context}"


# What YAML accepts as text (YAML 1.1 "printable"); the first other character is reported.
_NON_PRINTABLE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)


def _unprintable(text: str, error: yaml.reader.ReaderError) -> tuple[int, int, str]:
    """Line, column and message for a character YAML refuses (NUL, ESC, ...).

    The reader's own position counts bytes with libyaml and characters without it, so the
    character is looked up in the text instead.
    """
    found = _NON_PRINTABLE.search(text)
    if found is None:  # pragma: no cover - the reader refused something else
        return 1, 1, f"YAML error: {error.reason}"
    start = found.start()
    line = text.count("\n", 0, start) + 1
    col = start - (text.rfind("\n", 0, start) + 1) + 1
    code = ord(found.group())
    kind = " (a control character)" if code < 0xA0 else ""
    return line, col, f"character U+{code:04X}{kind} is not allowed in a YAML file: remove it"


def parse_yaml(text: str, limits: Limits | None = None) -> YamlResult:
    """Parse one YAML document into plain data; problems instead of exceptions."""
    limits = limits or Limits()
    builder = _Builder(limits)
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.reader.ReaderError as error:
        line, col, message = _unprintable(text, error)
        return YamlResult(None, builder.source, [NodeProblem((), line, col, message)])
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        advice = _syntax_advice(error, text)
        return YamlResult(None, builder.source, [NodeProblem((), line, col, advice)])
    except yaml.YAMLError as error:  # pragma: no cover - unmarked errors are rare
        return YamlResult(None, builder.source, [NodeProblem((), 1, 1, f"YAML error: {error}")])
    except RecursionError:
        return YamlResult(
            None, builder.source, [NodeProblem((), 1, 1, "the file nests too deeply to read")]
        )
    if root is None:
        return YamlResult(
            None, builder.source, [NodeProblem((), 1, 1, "the file is empty: a plan is a mapping")]
        )
    try:
        data = builder.build(root, (), 0)
    except _Budget as stop:
        return YamlResult(None, builder.source, [NodeProblem((), 1, 1, str(stop))])
    return YamlResult(data, builder.source, builder.problems)
