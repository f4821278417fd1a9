"""Loader stage, YAML layer: parse a catalog file into located nodes.

PyYAML composes the document (anchors, aliases and merge keys resolved); this
module then turns the node graph into :class:`YMap` / :class:`YSeq` /
:class:`YScalar` objects that keep the line and column of every node, the raw
text of every scalar and whether it was quoted. Duplicate mapping keys are
rejected here. Nothing is coerced: a scalar keeps the type YAML 1.1 resolved
(``on`` is a bool, ``1.10`` a float) so the schema layer can tell the user how
to quote it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml

from generator.errors import Problem

__all__ = ["YAMLFailure", "YMap", "YNode", "YScalar", "YSeq", "parse", "snippet"]

_MAX_SNIPPET_LINES = 6


@dataclass(frozen=True, slots=True)
class Mark:
    """A 1-based position in a file."""

    line: int
    column: int


@dataclass(slots=True)
class YScalar:
    """A scalar with its resolved value, raw text and location."""

    value: object
    raw: str
    quoted: bool
    mark: Mark
    end: Mark

    def type_word(self) -> str:
        """How YAML read the scalar, for messages ("a boolean", "a number", ...)."""
        if self.value is None:
            return "null"
        if isinstance(self.value, bool):
            return "a boolean"
        if isinstance(self.value, int | float):
            return "a number"
        if isinstance(self.value, str):
            return "a string"
        return f"a {type(self.value).__name__}"


@dataclass(slots=True)
class YSeq:
    """A sequence node."""

    items: list[YNode]
    mark: Mark
    end: Mark


@dataclass(slots=True)
class YMap:
    """A mapping node; keys are scalars, in document order."""

    items: list[tuple[YScalar, YNode]]
    mark: Mark
    end: Mark
    _index: dict[object, int] = field(default_factory=dict)

    def get(self, key: str) -> YNode | None:
        """The value node for ``key`` (a string key), or None."""
        pos = self._index.get(("str", key))
        return None if pos is None else self.items[pos][1]

    def key_node(self, key: str) -> YScalar | None:
        pos = self._index.get(("str", key))
        return None if pos is None else self.items[pos][0]


YNode = YMap | YSeq | YScalar


class YAMLFailure(Exception):
    """The text is not valid YAML (or has duplicate keys); carries located problems."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


def _mark(mark: yaml.Mark | None) -> Mark:
    if mark is None:
        return Mark(0, 0)
    return Mark(mark.line + 1, mark.column + 1)


class _Loader(yaml.SafeLoader):
    """SafeLoader used only to compose nodes and resolve scalar types."""


def snippet(lines: list[str], start: Mark, end: Mark | None = None) -> str:
    """The stanza between two marks, indented by four spaces for display."""
    if not start.line or not lines:
        return ""
    if start.line > len(lines):
        start = Mark(len(lines), 1)
    last = start.line
    if end is not None and end.line >= start.line:
        last = end.line
        # A block node ends where the next one starts: drop that line when the
        # node has no text on it.
        if end.line > start.line and (
            end.line > len(lines) or not lines[end.line - 1][: max(end.column - 1, 0)].strip()
        ):
            last = end.line - 1
    last = min(last, len(lines), start.line + _MAX_SNIPPET_LINES - 1)
    chosen = lines[start.line - 1 : last]
    while chosen and not chosen[-1].strip():
        chosen.pop()
    return "\n".join("    " + line.rstrip() for line in chosen)


def parse(text: str, path: str) -> YNode | None:
    """Parse ``text`` (the content of ``path``) into located nodes.

    Returns None for an empty document. Raises :class:`YAMLFailure` for syntax
    errors, several documents, or duplicate keys (all duplicates are reported).
    """
    lines = text.splitlines()
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = _mark(exc.problem_mark or exc.context_mark)
        reason = exc.problem or "invalid YAML"
        if exc.context:
            reason = f"{exc.context}: {reason}"
        message = f"YAML syntax error: {reason}"
        raise YAMLFailure(
            [Problem(path, mark.line, mark.column, message, snippet(lines, mark))]
        ) from None
    except yaml.YAMLError as exc:
        raise YAMLFailure([Problem(path, 0, 0, f"YAML syntax error: {exc}")]) from None
    finally:
        loader.dispose()
    if node is None:
        return None
    problems: list[Problem] = []
    converted = _Converter(loader, path, lines, problems).convert(node)
    if problems:
        raise YAMLFailure(problems)
    return converted


class _Converter:
    def __init__(self, loader: _Loader, path: str, lines: list[str], out: list[Problem]) -> None:
        self.loader = loader
        self.path = path
        self.lines = lines
        self.out = out
        self.depth = 0
        self.memo: dict[int, YNode] = {}

    def convert(self, node: yaml.Node) -> YNode:
        # Aliases share nodes: convert each once, so "billion laughs" stays small.
        done = self.memo.get(id(node))
        if done is not None:
            return done
        result = self._convert(node)
        self.memo[id(node)] = result
        return result

    def _convert(self, node: yaml.Node) -> YNode:
        self.depth += 1
        try:
            if self.depth > 200:
                raise YAMLFailure(
                    [Problem(self.path, 0, 0, "YAML nesting is too deep (or recursive)")]
                )
            if isinstance(node, yaml.MappingNode):
                return self._mapping(node)
            if isinstance(node, yaml.SequenceNode):
                return YSeq(
                    [self.convert(item) for item in node.value],
                    _mark(node.start_mark),
                    _mark(node.end_mark),
                )
            assert isinstance(node, yaml.ScalarNode)
            return self._scalar(node)
        finally:
            self.depth -= 1

    def _scalar(self, node: yaml.ScalarNode) -> YScalar:
        try:
            value: object = self.loader.construct_object(node, deep=True)
        except yaml.YAMLError as exc:
            mark = _mark(node.start_mark)
            self.out.append(Problem(self.path, mark.line, mark.column, f"bad YAML scalar: {exc}"))
            value = str(node.value)
        if not isinstance(value, str | int | float | bool) and value is not None:
            # Timestamps, binary and the like are kept as their text.
            value = str(node.value)
        return YScalar(
            value,
            str(node.value),
            node.style in ("'", '"'),
            _mark(node.start_mark),
            _mark(node.end_mark),
        )

    def _mapping(self, node: yaml.MappingNode) -> YMap:
        own = sum(1 for key, _ in node.value if key.tag != "tag:yaml.org,2002:merge")
        try:
            self.loader.flatten_mapping(node)  # resolve "<<" merge keys
        except yaml.YAMLError as exc:
            mark = _mark(node.start_mark)
            raise YAMLFailure(
                [Problem(self.path, mark.line, mark.column, f"YAML merge error: {exc}")]
            ) from None
        merged = len(node.value) - own
        from_merge: set[tuple[str, object]] = set()
        result = YMap([], _mark(node.start_mark), _mark(node.end_mark))
        for position, (key_node, value_node) in enumerate(node.value):
            key = self.convert(key_node)
            value = self.convert(value_node)
            if not isinstance(key, YScalar):
                self.out.append(
                    Problem(
                        self.path,
                        key.mark.line,
                        key.mark.column,
                        "a mapping key must be a scalar",
                        snippet(self.lines, key.mark),
                    )
                )
                continue
            hashable = (type(key.value).__name__, key.value)
            if hashable in result._index:
                if hashable in from_merge:
                    from_merge.discard(hashable)
                    # A merged ("<<") key is overridden by a later one, as in YAML.
                    result.items[result._index[hashable]] = (key, value)
                    continue
                first = result.items[result._index[hashable]][0]
                self.out.append(
                    Problem(
                        self.path,
                        key.mark.line,
                        key.mark.column,
                        f"duplicate key {key.raw!r} (first defined at line {first.mark.line})",
                        snippet(self.lines, key.mark),
                    )
                )
                continue
            if position < merged:
                from_merge.add(hashable)
            result._index[hashable] = len(result.items)
            result.items.append((key, value))
        return result
