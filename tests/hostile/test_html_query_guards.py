"""`nekg html -q` guards a query as `nekg query` does: size and nesting are checked before
parsing, SERVICE and LOAD need --allow-remote, and --timeout stops a query that runs on."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.cli import cli

GRAPH = Path(__file__).resolve().parents[1] / "data" / "eval" / "graph.ttl"
CROSS = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"

CASES = [
    # query, extra options, what the one line says
    ("SELECT * {" * 300 + "}" * 300, [], "too deeply nested"),
    (
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
        [],
        "add --allow-remote",
    ),
    ("LOAD <http://127.0.0.1:9/x.ttl>", [], "cannot draw a SPARQL update"),
    (CROSS, ["--timeout", "0.5"], "ran longer than --timeout 0.5 s"),
]


@pytest.mark.parametrize(("query", "options", "says"), CASES)
def test_html_query_is_guarded_like_nekg_query(tmp_path, query, options, says):
    page = tmp_path / "page.html"
    args = ["html", "--graph", str(GRAPH), "-q", query, "-o", str(page), *options]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code != 0
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert says in lines[0], lines[0]
    assert "Traceback" not in result.output
    assert not page.exists()


def test_html_query_within_its_timeout_is_drawn(tmp_path):
    page = tmp_path / "page.html"
    query = "CONSTRUCT { ?c nekg:locatedIn ?p } WHERE { ?c nekg:locatedIn ?p }"
    args = ["html", "--graph", str(GRAPH), "-q", query, "-o", str(page), "--timeout", "30"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert page.stat().st_size > 0
