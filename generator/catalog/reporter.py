"""Catalog stage, problem collector: every problem of a file, with its location and stanza."""

from __future__ import annotations

from generator.catalog.names import did_you_mean
from generator.catalog.text_file import Mark, snippet
from generator.catalog.yaml_reader import YMap, YNode, YScalar, YSeq
from generator.errors import Problem
from generator.model import Location

__all__ = ["Reporter", "node_kind"]


class Reporter:
    """Collects problems of one file, with the file's lines for snippets."""

    def __init__(self, path: str, lines: list[str], out: list[Problem]) -> None:
        self.path = path
        self.lines = lines
        self.out = out

    def error(
        self, mark: Mark, message: str, start: Mark | None = None, end: Mark | None = None
    ) -> None:
        """Record a problem at ``mark``; the snippet spans ``start``..``end`` (or the line)."""
        text = snippet(self.lines, start or mark, end)
        self.out.append(Problem(self.path, mark.line, mark.column, message, text))

    def location(self, mark: Mark) -> Location:
        return Location(self.path, mark.line, mark.column)

    def value_name(self, node: YNode, what: str) -> str | None:
        """A knob value name: must be a non-empty string; explain how to quote otherwise."""
        if isinstance(node, YScalar):
            if isinstance(node.value, str) and node.value:
                return node.value
            if node.value is None or node.value == "":
                self.error(node.mark, f"{what} is empty; write a value name")
                return None
            self.error(
                node.mark,
                f"{what} {node.raw} was read as {node.type_word()}; quote it: '{node.raw}'",
            )
            return None
        self.error(
            node.mark, f"{what} must be a name, not a {node_kind(node)}", node.mark, node.end
        )
        return None

    def description(self, node: YMap, message: str) -> str:
        """The optional ``description`` of a stanza; ``message`` when it is not a string."""
        desc = node.get("description")
        if desc is None:
            return ""
        if isinstance(desc, YScalar) and isinstance(desc.value, str):
            return desc.value
        self.error(desc.mark, message)
        return ""

    def unknown_keys(self, node: YMap, allowed: tuple[str, ...], where: str) -> None:
        for key, _ in node.items:
            name = key.value if isinstance(key.value, str) else key.raw
            if name not in allowed:
                self.error(
                    key.mark,
                    f"unknown key {name!r} in {where}{did_you_mean(name, allowed)}; "
                    f"expected one of: {', '.join(allowed)}",
                )


def node_kind(node: YNode) -> str:
    """``mapping``, ``list`` or ``scalar``: the YAML kind of ``node``, for messages."""
    if isinstance(node, YMap):
        return "mapping"
    if isinstance(node, YSeq):
        return "list"
    return "scalar"
