"""The HTML view of big graphs, without a browser: fixed positions, hidden loners, groups."""

from __future__ import annotations

import statistics

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS
from test_html import SAMPLE, page_data

from graph.outputs import html
from graph.outputs import layout as html_layout
from graph.outputs import network as html_network
from graph.outputs import selection as html_selection
from graph.rdf.vocab import ID, NEKG


def big_graph(entities: int, *, related_every: int = 4, reverse: bool = False) -> Graph:
    """``entities`` entities, one in ``related_every`` of them related (to a place, a partner).

    Places come first; every related company is located in one of them and some partner
    another company. ``reverse`` adds the same triples in the opposite order.
    """
    places = max(entities // 25, 3)
    triples = []
    for p in range(places):
        node = URIRef(f"{ID}place/p{p:05d}")
        triples += [(node, RDF.type, NEKG.Place), (node, SKOS.prefLabel, Literal(f"地{p}区"))]
    for i in range(entities - places):
        node = URIRef(f"{ID}company/c{i:05d}")
        triples += [(node, RDF.type, NEKG.Company), (node, SKOS.prefLabel, Literal(f"公司{i}"))]
        if i % related_every == 0:
            triples.append((node, NEKG.locatedIn, URIRef(f"{ID}place/p{i % places:05d}")))
        if i % (related_every * 3) == 0 and i:
            triples.append((node, NEKG.partnersWith, URIRef(f"{ID}company/c{i - 1:05d}")))
    graph = Graph()
    for triple in reversed(triples) if reverse else triples:
        graph.add(triple)
    return graph


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda reverse: html_selection.load_graph(SAMPLE), id="sample"),
        pytest.param(lambda reverse: big_graph(400, reverse=reverse), id="400-entities"),
    ],
)
def test_html_scale_same_graph_same_positions_and_bytes(make):
    one, two = make(False), make(True)
    page = html.draw(one, limit=1000)
    assert page == html.draw(two, limit=1000)
    nodes = page_data(page)["nodes"]
    assert all(isinstance(n["x"], int) and isinstance(n["y"], int) for n in nodes)
    assert len({(n["x"], n["y"]) for n in nodes}) == len(nodes), "two nodes on one spot"


def test_html_scale_layout_puts_related_entities_near_and_loners_below():
    net = html_network.to_network(big_graph(400))
    pos = html_layout.layout(net)
    related = [n for n in net if net.degree(n)]
    loners = [n for n in net if not net.degree(n)]
    assert min(pos[n][1] for n in loners) > max(pos[n][1] for n in related)

    def gap(a: str, b: str) -> float:
        return ((pos[a][0] - pos[b][0]) ** 2 + (pos[a][1] - pos[b][1]) ** 2) ** 0.5

    linked = statistics.median(gap(h, t) for h, t in net.edges())
    anyhow = statistics.median(gap(a, b) for a in related[::7] for b in related[::11] if a != b)
    assert linked < anyhow / 2, (linked, anyhow)


@pytest.mark.parametrize(
    ("entities", "hide_isolated", "cluster_by"),
    [
        (40, False, "none"),
        (html.HIDE_ISOLATED_ABOVE + 20, True, "none"),
        (html.CLUSTER_ABOVE + 50, True, "place"),
    ],
)
def test_html_scale_big_pages_hide_loners_and_group_by_place(entities, hide_isolated, cluster_by):
    graph = big_graph(entities)
    page = html.draw(graph, limit=entities)
    data = page_data(page)
    assert data["view"]["hideIsolated"] is hide_isolated
    assert data["view"]["clusterBy"] == cluster_by
    assert ('id="hide-isolated" checked' in page) is hide_isolated
    assert f'<option value="{cluster_by}" selected>' in page
    # hidden or not, every loner is still in the data the search and the list read
    assert len(data["nodes"]) == entities
    assert sum(n["degree"] == 0 for n in data["nodes"]) > entities // 2
    assert 'id="loner-list"' in page


@pytest.mark.parametrize(
    ("node", "group"),
    [
        ("company/calb", "place/320413"),  # located in 金坛区
        ("company/catl", "place/320481"),
        ("platform/lianghu", "place/320400"),
        ("place/320413", "place/320413"),  # a place heads its own group
        ("project/p1", "place/320413"),  # one neighbour only: follows the company building it
        ("person/zhang", "place/320413"),
        ("policy/532", None),  # issued by an organization with no place
        ("company/lonely", None),
    ],
)
def test_html_scale_groups_by_place(node, group):
    clusters = html_layout.place_clusters(
        html_network.to_network(html_selection.load_graph(SAMPLE))
    )
    assert clusters.get(f"{ID}{node}") == (f"{ID}{group}" if group else None)
