"""The package layout: no import cycle between graph's modules, no module too long to read.

Both read the source with ``ast``; nothing is imported. Every import counts, those inside
functions too (an import moved into a function still ties the two modules together); only
imports under ``if TYPE_CHECKING:`` are left out, as they never run.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "graph"
MAX_LINES = 600

# Modules over MAX_LINES that are to be split next, each into modules of one job (none now).
TOO_LONG_FOR_NOW: set[str] = set()

# Cycles between modules that are to be split next (none now).
CYCLES_FOR_NOW: set[frozenset[str]] = set()


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _under_type_checking(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def imported_names(tree: ast.AST) -> set[str]:
    """Every dotted name an import statement of ``tree`` may load, outside TYPE_CHECKING."""
    found: set[str] = set()
    stack = [tree]
    while stack:
        node = stack.pop()
        if _under_type_checking(node):
            stack.extend(node.orelse)
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        stack.extend(ast.iter_child_nodes(node))
    return found


def import_graph(package: Path = PACKAGE) -> nx.DiGraph:
    """Module -> module it imports, for every module of ``package``."""
    modules = {module_name(p, package.parent): p for p in package.rglob("*.py")}
    graph = nx.DiGraph()
    graph.add_nodes_from(modules)
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for target in imported_names(tree):
            if target in modules and target != name:
                graph.add_edge(name, target)
    return graph


def cycles(graph: nx.DiGraph, allowed: set[frozenset[str]]) -> list[list[str]]:
    """The import cycles of ``graph``, without the edges of the ``allowed`` pairs."""
    kept = graph.copy()
    kept.remove_edges_from(
        [(a, b) for a, b in graph.edges if frozenset({a, b}) in allowed and len({a, b}) == 2]
    )
    return sorted(sorted(c) for c in nx.simple_cycles(kept))


@pytest.mark.parametrize(
    ("modules", "expected"),
    [
        ({"a": "import graph.b\n", "b": "x = 1\n"}, []),
        ({"a": "import graph.b\n", "b": "import graph.a\n"}, [["graph.a", "graph.b"]]),
        (
            {"a": "from graph import b\n", "b": "def f():\n    from graph.a import f\n"},
            [["graph.a", "graph.b"]],
        ),
        (
            {
                "a": "from graph.b import x\n",
                "b": "from graph.c import y\n",
                "c": "from graph import a\n",
            },
            [["graph.a", "graph.b", "graph.c"]],
        ),
        (
            {
                "a": "from graph import b\n",
                "b": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from graph import a\n",
            },
            [],
        ),
    ],
    ids=["one-way", "two-modules", "inside-a-function", "three-modules", "type-checking-only"],
)
def test_the_cycle_finder_finds_cycles(tmp_path, modules, expected):
    package = tmp_path / "graph"
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    for name, text in modules.items():
        (package / f"{name}.py").write_text(text, encoding="utf-8")
    assert cycles(import_graph(package), set()) == expected


def test_no_import_cycle_in_the_package():
    found = cycles(import_graph(), CYCLES_FOR_NOW)
    assert found == [], "import cycles (move the shared part into a module both can import):\n" + (
        "\n".join(" -> ".join(c) for c in found)
    )


def test_the_cycles_left_for_now_still_exist():
    """An allowance that is no longer needed is dropped, so that it cannot hide a new cycle."""
    graph = import_graph()
    for pair in CYCLES_FOR_NOW:
        a, b = sorted(pair)
        assert (graph.has_edge(a, b), graph.has_edge(b, a)) == (True, True), f"{a} <-> {b}: drop it"


def _lengths() -> dict[str, int]:
    return {
        path.relative_to(ROOT).as_posix(): len(path.read_text(encoding="utf-8").splitlines())
        for path in sorted(PACKAGE.rglob("*.py"))
    }


def test_no_module_is_over_the_line_limit():
    too_long = {
        name: lines
        for name, lines in _lengths().items()
        if lines > MAX_LINES and name not in TOO_LONG_FOR_NOW
    }
    assert too_long == {}, f"split these modules (at most {MAX_LINES} lines each): {too_long}"


def test_the_long_modules_left_for_now_are_still_long():
    """A module split since drops out of the allowance, so that it cannot grow back."""
    lengths = _lengths()
    short = sorted(n for n in TOO_LONG_FOR_NOW if lengths.get(n, 0) <= MAX_LINES)
    assert short == [], f"take these out of TOO_LONG_FOR_NOW: {short}"
