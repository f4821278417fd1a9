"""Catalog stage, YAML layer: the one reader of every YAML file (catalog, matrix, Zuul).

:func:`read_yaml` reads a file into located nodes (:class:`YMap` / :class:`YSeq` /
:class:`YScalar`) that keep the line and column of every node, the raw text of
every scalar and whether it was quoted. Every problem is a located
:class:`~generator.errors.Problem`, never a traceback:

* the text is read by :func:`~generator.catalog.text_file.read_text` (regular files
  only, at most ``MAX_FILE_BYTES``, UTF-8) and must have no control characters;
* nesting deeper than :data:`MAX_DEPTH` and aliases that expand the document to
  more than :data:`MAX_NODES` nodes ("billion laughs") or into themselves are
  refused *while* composing: PyYAML's composer recurses, so a bound checked
  afterwards comes too late;
* duplicate mapping keys, non-scalar keys, explicit tags other than the plain YAML
  ones (or the caller's ``tags``, such as Zuul's ``!override``) and scalars a tag
  cannot construct (``!!int x``) are reported.

Nothing is coerced: a scalar keeps the type YAML 1.1 resolved (``on`` is a bool,
``1.10`` a float) so the schema layers can tell the user how to quote it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import yaml

from generator.catalog.text_file import Mark, YAMLFailure, fail, read_text, snippet
from generator.catalog.yaml_hints import indentation_hint
from generator.errors import Problem

if TYPE_CHECKING:
    from collections.abc import Collection

__all__ = [
    "MAX_DEPTH",
    "MAX_NODES",
    "Mark",
    "YAMLFailure",
    "YMap",
    "YNode",
    "YScalar",
    "YSeq",
    "parse",
    "read_yaml",
]

MAX_DEPTH = 100
"""Deepest nesting of collections (real catalogs and Zuul files nest about ten)."""
MAX_NODES = 1_000_000
"""Most nodes a document may have once every alias is expanded."""
_YAML = "tag:yaml.org,2002:"
_SCALAR_TAGS = {f"{_YAML}{name}" for name in ("str", "int", "float", "bool", "null")}
_CHECKED_TEXT_TAGS = {f"{_YAML}timestamp", f"{_YAML}binary"}
"""Checked, then kept as their text (dates, base64)."""
_TEXT_TAGS = {f"{_YAML}merge", f"{_YAML}value", *_CHECKED_TEXT_TAGS}
"""Kept as their text; ``merge`` and ``value`` are a plain ``<<`` or ``=`` outside a merge."""
_COLLECTION_TAGS = {f"{_YAML}map", f"{_YAML}seq"}
# What PyYAML's reader refuses: C0 controls but tab/LF/CR, DEL, C1 but NEL, surrogates.
_NON_PRINTABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(slots=True)
class YScalar:
    """A scalar with its resolved value, raw text and location."""

    value: object
    raw: str
    quoted: bool
    mark: Mark
    end: Mark
    tag: str = ""
    """An explicit caller-accepted tag (``!override``); empty otherwise."""

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
    tag: str = ""


@dataclass(slots=True)
class YMap:
    """A mapping node; keys are scalars, in document order."""

    items: list[tuple[YScalar, YNode]]
    mark: Mark
    end: Mark
    tag: str = ""
    _index: dict[object, int] = field(default_factory=dict)

    def get(self, key: str) -> YNode | None:
        """The value node for ``key`` (a string key), or None."""
        pos = self._index.get(("str", key))
        return None if pos is None else self.items[pos][1]

    def key_node(self, key: str) -> YScalar | None:
        """The key node of ``key`` (a string key), or None."""
        pos = self._index.get(("str", key))
        return None if pos is None else self.items[pos][0]


YNode = YMap | YSeq | YScalar


def _mark(mark: yaml.Mark | None) -> Mark:
    if mark is None:
        return Mark(0, 0)
    return Mark(mark.line + 1, mark.column + 1)


def _check_printable(text: str, path: str) -> None:
    found = _NON_PRINTABLE.search(text)
    if found is None:
        return
    before = text[: found.start()]
    line = before.count("\n") + 1
    column = found.start() - (before.rfind("\n") + 1) + 1
    code = ord(found.group())
    fail(
        path,
        f"control character U+{code:04X} is not allowed in YAML; "
        f'write it as an escape ("\\x{code:02x}") inside a double-quoted string',
        Mark(line, column),
        text.splitlines(),
    )


class _Bound(Exception):
    """A document over a bound; raised from inside the composer."""

    def __init__(self, mark: yaml.Mark | None, message: str) -> None:
        super().__init__(message)
        self.mark = mark
        self.message = message


class _Loader(yaml.SafeLoader):
    """SafeLoader whose composer enforces the depth and alias-expansion bounds."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.depth = 0
        self.sizes: dict[int, int] = {}
        self.mappings: list[yaml.MappingNode] = []
        self.merged: dict[int, int] = {}
        """How many leading pairs of a flattened mapping came from ``<<`` merges."""

    def flatten_all(self) -> None:
        """Resolve every ``<<`` merge key, in composition order.

        That order puts every merged mapping before its users, so each merge is
        flattened one level deep, never recursively down a chain of merges.
        """
        for mapping in self.mappings:
            own = sum(1 for key, _ in mapping.value if key.tag != f"{_YAML}merge")
            if own != len(mapping.value):
                self.flatten_mapping(mapping)
                self.merged[id(mapping)] = len(mapping.value) - own

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            target = self.anchors.get(event.anchor)
            if target is not None and target.end_mark is None:
                raise _Bound(
                    event.start_mark,
                    f"recursive YAML alias: *{event.anchor} is used inside the node it names",
                )
            return super().compose_node(parent, index)
        self.depth += 1
        if self.depth > MAX_DEPTH:
            start = self.peek_event().start_mark  # type: ignore[no-untyped-call]
            raise _Bound(start, f"YAML nested deeper than {MAX_DEPTH} levels")
        try:
            node = super().compose_node(parent, index)
        finally:
            self.depth -= 1
        if node is None:
            return None
        size = 1
        if isinstance(node, yaml.SequenceNode):
            size += sum(self.sizes[id(item)] for item in node.value)
        elif isinstance(node, yaml.MappingNode):
            size += sum(self.sizes[id(k)] + self.sizes[id(v)] for k, v in node.value)
            self.mappings.append(node)
        if size > MAX_NODES:
            raise _Bound(
                node.start_mark,
                f"YAML aliases expand the document to more than {MAX_NODES:,} nodes",
            )
        self.sizes[id(node)] = size
        return node


def parse(text: str, path: str, *, tags: Collection[str] = ()) -> YNode | None:
    """Parse ``text`` (the content of ``path``) into located nodes.

    ``tags`` are explicit tags accepted besides the plain YAML ones; the node
    records which. Returns None for an empty document. Raises
    :class:`YAMLFailure` for every problem listed in the module docstring.
    """
    _check_printable(text, path)
    lines = text.splitlines()
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        loader.flatten_all()
    except _Bound as exc:
        fail(path, exc.message, _mark(exc.mark), lines)
    except yaml.MarkedYAMLError as exc:
        reason = exc.problem or "invalid YAML"
        if exc.context:
            reason = f"{exc.context}: {reason}"
        where = _mark(exc.problem_mark or exc.context_mark)
        context = _mark(exc.context_mark) if exc.context_mark else None
        hint = indentation_hint(
            exc.context,
            (context.line, context.column) if context else None,
            exc.problem,
            (where.line, where.column),
            lines,
        )
        fail(path, f"YAML syntax error: {hint or reason}", where, lines)
    except yaml.YAMLError as exc:
        fail(path, f"YAML syntax error: {exc}")
    finally:
        loader.dispose()
    if node is None:
        return None
    problems: list[Problem] = []
    converted = _Converter(loader, path, lines, problems, frozenset(tags)).convert(node)
    if problems:
        raise YAMLFailure(problems)
    return converted


def read_yaml(path: str, *, tags: Collection[str] = ()) -> tuple[YNode | None, list[str]]:
    """Read and parse the YAML file ``path``: its root node (None if empty) and its lines."""
    text = read_text(path)
    return parse(text, path, tags=tags), text.splitlines()


class _Converter:
    def __init__(
        self,
        loader: _Loader,
        path: str,
        lines: list[str],
        out: list[Problem],
        tags: frozenset[str],
    ) -> None:
        self.loader = loader
        self.path = path
        self.lines = lines
        self.out = out
        self.tags = tags
        self.memo: dict[int, YNode] = {}

    def problem(self, node: yaml.Node, message: str) -> None:
        mark = _mark(node.start_mark)
        self.out.append(
            Problem(self.path, mark.line, mark.column, message, snippet(self.lines, mark))
        )

    def convert(self, node: yaml.Node) -> YNode:
        # Aliases share nodes: convert each once (the composer bounded the expansion).
        done = self.memo.get(id(node))
        if done is None:
            done = self._convert(node)
            self.memo[id(node)] = done
        return done

    def _tag(self, node: yaml.Node, plain: set[str]) -> str:
        """The custom tag of ``node``, "" for a plain one; reports any other tag."""
        if node.tag in plain:
            return ""
        if node.tag in self.tags:
            return str(node.tag)
        shown = node.tag.replace(_YAML, "!!")
        self.problem(node, f"unsupported YAML tag {shown!r}; only plain YAML values are read")
        return ""

    def _convert(self, node: yaml.Node) -> YNode:
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, self._tag(node, _COLLECTION_TAGS))
        if isinstance(node, yaml.SequenceNode):
            tag = self._tag(node, _COLLECTION_TAGS)
            items = [self.convert(item) for item in node.value]
            return YSeq(items, _mark(node.start_mark), _mark(node.end_mark), tag)
        assert isinstance(node, yaml.ScalarNode)
        return self._scalar(node)

    def _scalar(self, node: yaml.ScalarNode) -> YScalar:
        tag = self._tag(node, _SCALAR_TAGS | _TEXT_TAGS)
        value: object = str(node.value)
        target = node
        if tag:  # a custom tag: the value YAML would give without it
            resolved = self.loader.resolve(  # type: ignore[no-untyped-call]
                yaml.ScalarNode, node.value, (True, False)
            )
            target = yaml.ScalarNode(resolved, node.value, node.start_mark, node.end_mark)
        if target.tag in _SCALAR_TAGS or target.tag in _CHECKED_TEXT_TAGS:
            try:
                constructed = self.loader.construct_object(target, deep=True)
            except Exception:  # PyYAML raises ValueError, KeyError, ... for bad values
                shown = node.tag.replace(_YAML, "!!")
                self.problem(node, f"{node.value!r} is not a valid {shown} value")
            else:
                if target.tag in _SCALAR_TAGS:
                    value = constructed
        return YScalar(
            value,
            str(node.value),
            node.style in ("'", '"'),
            _mark(node.start_mark),
            _mark(node.end_mark),
            tag,
        )

    def _mapping(self, node: yaml.MappingNode, tag: str) -> YMap:
        result = YMap([], _mark(node.start_mark), _mark(node.end_mark), tag)
        from_merge: set[tuple[str, object]] = set()
        merge_count = self.loader.merged.get(id(node), 0)
        for position, (key_node, value_node) in enumerate(node.value):
            key = self.convert(key_node)
            value = self.convert(value_node)
            if not isinstance(key, YScalar):
                self.problem(key_node, "a mapping key must be a scalar")
                continue
            hashable = (type(key.value).__name__, key.value)
            if hashable in result._index:
                if hashable in from_merge:
                    from_merge.discard(hashable)
                    # A merged ("<<") key is overridden by a later one, as in YAML.
                    result.items[result._index[hashable]] = (key, value)
                    continue
                first = result.items[result._index[hashable]][0]
                self.problem(
                    key_node,
                    f"duplicate key {key.raw!r} (first defined at line {first.mark.line})",
                )
                continue
            if position < merge_count:
                from_merge.add(hashable)
            result._index[hashable] = len(result.items)
            result.items.append((key, value))
        return result
