"""Every command that reads a written graph takes it the same way: a file, or a build's folder."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.cli import cli
from graph.cli.common import _graph_file

ROOT = Path(__file__).resolve().parent.parent
GRAPH = ROOT / "tests" / "data" / "eval" / "graph.ttl"
GOLD = ROOT / "tests" / "data" / "eval" / "gold"

# command, its arguments before the graph, how it is given the graph
COMMANDS = [
    ("query", ["SELECT (COUNT(*) AS ?n) WHERE { ?s a nekg:Company }"], "--graph"),
    ("query", ["SELECT ?s WHERE { ?s a nekg:Place } ORDER BY ?s"], "-g"),
    ("eval", [str(GOLD)], "--graph"),
    ("candidates", [], "--graph"),
    ("export", ["--format", "nt", "-o", "-"], "--graph"),
    ("validate", [], "--graph"),
    ("validate", [], None),
    ("html", ["--title", "t", "-o", "-"], "--graph"),
]


def test_every_graph_option_is_the_shared_one():
    """Each command's graph parameter resolves a folder to its graph.ttl in one place."""
    readers = {
        name: param
        for name, command in cli.commands.items()
        for param in command.params
        if param.name == "graph_file"
    }
    assert set(readers) == {"query", "html", "export", "eval", "candidates", "validate"}
    # html keeps a folder as given: its page is titled with the folder's name
    expected = {**dict.fromkeys(readers, _graph_file), "html": None}
    assert {name: p.callback for name, p in readers.items()} == expected


@pytest.mark.parametrize(("command", "args", "flag"), COMMANDS, ids=lambda v: str(v)[:20])
def test_a_folder_reads_like_its_graph_ttl(tmp_path, command, args, flag):
    out = tmp_path / "out"
    out.mkdir()
    shutil.copy(GRAPH, out / "graph.ttl")
    runner = CliRunner()

    def run(graph: Path):
        given = [flag, str(graph)] if flag else [str(graph)]
        result = runner.invoke(cli, [command, *args, *given])
        text = result.output.replace(str(out / "graph.ttl"), str(out))
        return result.exit_code, re.sub(r"\d+\.\d+ s\b", "(time) s", text)

    by_folder, by_file = run(out), run(out / "graph.ttl")
    assert by_folder == by_file
    assert by_folder[0] in (0, 1)
    assert "Traceback" not in by_folder[1]


# GRAPH and --graph both given to validate: how they are given, whether the graph is checked
BOTH = [
    ("the same file twice", "graph.ttl", "graph.ttl", True),
    ("the folder and its graph.ttl", "out", "graph.ttl", True),
    ("two different files", "graph.ttl", "other.ttl", False),
]


@pytest.mark.parametrize(
    ("case", "positional", "option", "checked"), BOTH, ids=[c[0] for c in BOTH]
)
def test_validate_takes_one_graph_by_either_name(tmp_path, case, positional, option, checked):
    out = tmp_path / "out"
    out.mkdir()
    shutil.copy(GRAPH, out / "graph.ttl")
    shutil.copy(GRAPH, out / "other.ttl")
    named = {"out": out, "graph.ttl": out / "graph.ttl", "other.ttl": out / "other.ttl"}
    result = CliRunner().invoke(
        cli, ["validate", str(named[positional]), "--graph", str(named[option])]
    )
    assert "Traceback" not in result.output
    if checked:  # the test graph has violations: exit 1 with the summary line
        assert result.exit_code in (0, 1), result.output
        assert f"{out / 'graph.ttl'} does not conform" in result.output
    else:
        assert result.exit_code == 2, result.output
        error = [line for line in result.output.splitlines() if line.startswith("Error:")]
        assert len(error) == 1, result.output
        assert "give one of them" in error[0]
