"""Imports flow one way through the pipeline stages, and the engine does no I/O.

Stages, top to bottom: a module may import its own stage and any stage below it,
never one above (a back edge). ``engine/`` and ``constraints/`` import no I/O
module, never yaml, and call neither ``print`` nor ``open``.
"""

from __future__ import annotations

import ast

import pytest

from tests.paths import ROOT

LAYERS = (
    "__main__",
    "cli",
    "app",
    "files",
    "audit",
    "emit",
    "matrix",
    "catalog",
    "engine",
    "constraints",
)
BOTTOM = ("model", "errors", "")  # "" is the package itself (``__version__``)
PURE_STAGES = ("engine", "constraints")
PURE_ALLOWED = {"__future__", "typing", "dataclasses", "collections", "functools", "itertools"}
PURE_ALLOWED |= {"math", "heapq", "difflib", "importlib", "numpy", "pysat", "generator"}
IO_CALLS = {"print", "open", "input", "read_text", "write_text", "read_bytes", "write_bytes"}


def _rank(stage: str) -> int:
    return LAYERS.index(stage) if stage in LAYERS else len(LAYERS)


def _stage(module: str) -> str:
    """``generator.audit.zuul_files`` -> ``audit``; ``generator`` -> ``""``."""
    return module.split(".")[1] if module.count(".") else ""


def _modules() -> list[tuple[str, ast.Module]]:
    found = []
    for path in sorted((ROOT / "generator").rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found.append((name, ast.parse(path.read_text(encoding="utf-8"))))
    return found


def _imports(tree: ast.Module) -> list[str]:
    names: list[str] = []
    for node in ast.walk(tree):  # lazy and TYPE_CHECKING imports count too
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.append(node.module)
            if node.module == "generator":
                names.extend(f"generator.{alias.name}" for alias in node.names)
    return names


def back_edges(modules: list[tuple[str, ast.Module]]) -> list[str]:
    """``importer -> imported`` for every import of a stage above the importer's."""
    edges: list[str] = []
    for name, tree in modules:
        for target in _imports(tree):
            if target.split(".")[0] != "generator" or _stage(target) in BOTTOM:
                continue
            if _rank(_stage(target)) < _rank(_stage(name)):
                edges.append(f"{name} -> {target}")
    return edges


def io_uses(modules: list[tuple[str, ast.Module]]) -> list[str]:
    """Imports and calls in ``engine/`` and ``constraints/`` that could read, write or print."""
    found: list[str] = []
    for name, tree in modules:
        if _stage(name) not in PURE_STAGES:
            continue
        found += [
            f"{name} imports {t}" for t in _imports(tree) if t.split(".")[0] not in PURE_ALLOWED
        ]
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                func = node.func
                called = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
                if called in IO_CALLS:
                    found.append(f"{name}:{node.lineno} calls {called}")
    return found


def test_stages_import_only_downwards() -> None:
    assert back_edges(_modules()) == []


def test_engine_and_constraints_do_no_io() -> None:
    assert io_uses(_modules()) == []


@pytest.mark.parametrize(
    ("module", "source", "expected"),
    [
        ("generator.engine._build", "from generator.catalog import load_dir", "engine -> catalog"),
        ("generator.matrix.format", "import generator.app", "matrix -> app"),
        ("generator.constraints.space", "from generator import engine", "constraints -> engine"),
    ],
)
def test_a_back_edge_is_caught(module: str, source: str, expected: str) -> None:
    importer, imported = expected.split(" -> ")
    edges = back_edges([(module, ast.parse(source))])
    assert len(edges) == 1
    assert _stage(edges[0].split(" -> ")[0]) == importer
    assert _stage(edges[0].split(" -> ")[1]) == imported


def test_io_in_the_engine_is_caught() -> None:
    tree = ast.parse("import yaml\nprint('x')\nPath('f').read_text()\n")
    assert len(io_uses([("generator.engine._ipog", tree)])) == 3
