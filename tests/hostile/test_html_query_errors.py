"""A broken query given to `nekg html` is reported like `nekg query` reports it: one line
with the position, or the unknown prefix and how to declare it, never the parser's dump."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.cli import cli

GRAPH = Path(__file__).resolve().parents[1] / "data" / "eval" / "graph.ttl"

CASES = [
    # query, what the one line starts with
    ("SELECT ?s WHERE {", "Error: SPARQL syntax error at line 1, column 18"),
    (
        "SELECT ?s\nWHERE { ?s ?p ?o } ORDER BY xx(?s)",
        "Error: SPARQL syntax error at line 2, column",
    ),
    ("SELECT ?s WHERE { ?s foo:x ?o }", "Error: unknown prefix 'foo:' at line 1, column 22"),
    ("CONSTRUCT { ?s bar:y ?o } WHERE { ?s ?p ?o }", "Error: unknown prefix 'bar:' at line 1"),
]


@pytest.mark.parametrize(("query", "starts"), CASES)
def test_a_broken_html_query_is_one_line_with_its_position(tmp_path, query, starts):
    page = tmp_path / "page.html"
    result = CliRunner().invoke(cli, ["html", "--graph", str(GRAPH), "-q", query, "-o", str(page)])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert lines[0].startswith(starts), lines[0]
    assert "Traceback" not in result.output
    assert not page.exists()
