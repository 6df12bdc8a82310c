"""`nekg query --endpoint` against a real SPARQL server: `oxigraph serve` on 127.0.0.1."""

from __future__ import annotations

import json
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest
from click.testing import CliRunner
from conftest import ROOT, require_tool
from test_query import NAMED_CASES

from graph.cli import cli

FIXTURE = ROOT / "tests" / "data" / "query" / "changzhou.ttl"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory) -> Iterator[str]:
    """An in-memory Oxigraph server holding the test graph; yields its query URL."""
    oxigraph = require_tool("oxigraph")
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log = (tmp_path_factory.mktemp("oxigraph") / "serve.log").open("wb")
    server = subprocess.Popen(
        [oxigraph, "serve", "--bind", f"127.0.0.1:{port}"], stdout=log, stderr=log
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/query?query=ASK%7B%7D", timeout=1).close()
                break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.05)
        else:
            pytest.fail("oxigraph serve did not start")
        load = urllib.request.Request(
            f"{base}/store?default",
            data=FIXTURE.read_bytes(),
            method="POST",
            headers={"Content-Type": "text/turtle"},
        )
        urllib.request.urlopen(load, timeout=10).close()
        yield f"{base}/query"
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


def _query(args) -> str:
    result = CliRunner().invoke(cli, ["query", *args])
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize(("name", "params", "expected"), NAMED_CASES)
def test_query_endpoint_named_queries_match_the_local_graph(endpoint, name, params, expected):
    """Parameters (names resolved on the endpoint too) give the same rows, in the same order."""
    args = [name, *(f"-p{k}={v}" for k, v in params.items()), "--format", "json"]
    remote = json.loads(_query([*args, "--endpoint", endpoint]))
    local = json.loads(_query([*args, "--graph", str(FIXTURE)]))
    assert remote == local
    assert len(remote["results"]["bindings"]) == len(expected)


def test_query_endpoint_labels_table(endpoint):
    out = _query(["companies-in", "-p", "place=常州", "--endpoint", endpoint, "--labels"])
    assert out.splitlines()[0] == "place = 常州市"
    assert [line.split()[:2] for line in out.splitlines()[3:]] == [
        ["中创新航", "金坛区"],
        ["宁德时代", "溧阳市"],
        ["蜂巢能源", "两湖创新区"],
    ]


@pytest.mark.parametrize(
    "args",
    [
        ["articles-mentioning", "-p", "entity=中创新航"],
        ["about", "-p", "entity=陆秋明"],
        ["partners"],
    ],
)
def test_query_endpoint_labels_table_equals_local(endpoint, args):
    local = _query([*args, "--labels", "--graph", str(FIXTURE)])
    assert _query([*args, "--labels", "--endpoint", endpoint]) == local
    assert "id:" not in local


def test_query_endpoint_ask_and_construct(endpoint):
    assert _query(["ASK { ?c a nekg:Company }", "-e", endpoint]) == "true\n"
    out = _query(
        ["CONSTRUCT WHERE { ?c nekg:leadsChain ?chain }", "-e", endpoint, "--format", "ntriples"]
    )
    assert sorted(out.splitlines()) == sorted(
        f"<https://w3id.org/nekg/id/company/{c}> <https://w3id.org/nekg/ontology#leadsChain> "
        "<https://w3id.org/nekg/id/chain/power-battery> ."
        for c in ("calb", "catl")
    )


@pytest.mark.parametrize(
    ("args", "start"),
    [
        (["SELECT * WHERE { ?s ?p }"], "http://127.0.0.1:"),
        (
            ["about", "-p", "entity=常州"],
            "--param entity: '常州' is ambiguous: id:org/jintan-gov (金坛区人民政府, Organization); "
            "id:place/320400 (常州市, Place)",
        ),
        (["INSERT DATA { <a:b> <a:c> <a:d> }"], "refusing to run a SPARQL update"),
    ],
)
def test_query_endpoint_errors_are_one_line(endpoint, args, start):
    result = CliRunner().invoke(cli, ["query", *args, "--endpoint", endpoint])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert lines[0].startswith("Error: " + start)


def test_query_endpoint_update_only_with_flag(endpoint):
    update = "INSERT DATA { <https://w3id.org/nekg/id/company/new> a <https://w3id.org/nekg/ontology#Company> }"
    assert "refusing" in CliRunner().invoke(cli, ["query", update, "-e", endpoint]).output
    assert _query(["ASK { id:company\\/new a nekg:Company }", "-e", endpoint]) == "false\n"
    assert (
        _query([update, "-e", endpoint, "--update"])
        == f"updated {endpoint[: -len('query')]}update\n"
    )
    assert _query(["ASK { id:company\\/new a nekg:Company }", "-e", endpoint]) == "true\n"
    _query(
        [
            "DELETE DATA { <https://w3id.org/nekg/id/company/new> a <https://w3id.org/nekg/ontology#Company> }",
            "-e",
            endpoint,
            "--update",
        ]
    )


def test_query_endpoint_unreachable_is_one_line():
    port = _free_port()
    result = CliRunner().invoke(
        cli, ["query", "chain-leaders", "-e", f"http://127.0.0.1:{port}/query", "--timeout", "2"]
    )
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: cannot reach http://127.0.0.1:{port}/query: ")
