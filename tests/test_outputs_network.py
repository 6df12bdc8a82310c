"""The HTML page, GraphML and GEXF are all drawn from one RDF → networkx function."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from graph.outputs import export, html, network

ROOT = Path(__file__).resolve().parent.parent
GRAPH = ROOT / "tests" / "data" / "eval" / "graph.ttl"
PROBE = "探针节点-probe"


def _page(graph: Graph) -> bytes:
    return html.draw(graph).encode("utf-8")


# output, how it is written from a graph, whether it asks for the plain (export) network
OUTPUTS = [
    ("graphml", export.to_graphml, True),
    ("gexf", export.to_gexf, True),
    ("html", _page, False),
]


@pytest.fixture(scope="module")
def graph() -> Graph:
    return Graph().parse(GRAPH, format="turtle")


@pytest.mark.parametrize(("name", "write", "plain"), OUTPUTS, ids=[o[0] for o in OUTPUTS])
def test_each_output_draws_the_shared_network(monkeypatch, graph, name, write, plain):
    """Replacing ``network.to_network`` changes every output: none has a network of its own."""
    real = network.to_network
    calls = []

    def probed(*args, **kwargs):
        calls.append(kwargs.get("plain", False))
        net = real(*args, **kwargs)
        attrs = (
            {"label": PROBE, "type": "", "iri": PROBE, "aliases": "", "mentions": 0}
            if kwargs.get("plain")
            else {"label": PROBE, "type": "Other", "kind": "entity", "aliases": [], "details": {}}
        )
        net.add_node(PROBE, **attrs)
        return net

    before = write(graph)
    assert PROBE.encode() not in before
    monkeypatch.setattr(network, "to_network", probed)
    after = write(graph)
    assert calls == [plain]
    assert PROBE.encode() in after


@pytest.mark.parametrize(("name", "write", "plain"), OUTPUTS, ids=[o[0] for o in OUTPUTS])
def test_the_outputs_agree_on_the_entities(graph, name, write, plain):
    """Page and exports list the same entities, since they come from the same walk."""
    page = network.to_network(graph)
    plain_net = network.to_network(graph, plain=True)
    entities = {n for n, d in page.nodes(data=True) if d["kind"] == "entity"}
    assert entities == {n for n, d in plain_net.nodes(data=True) if d["type"]}
    assert {d["label"] for n, d in page.nodes(data=True) if n in entities} == {
        d["label"] for n, d in plain_net.nodes(data=True) if n in entities
    }
    data = write(graph)
    for node in sorted(entities)[:5]:
        assert node.encode() in data
