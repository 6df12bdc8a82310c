"""The entity network as GraphML and GEXF, for Gephi, yEd and Cytoscape."""

from __future__ import annotations

import io
import re
from collections.abc import Mapping

import networkx as nx
from rdflib import Graph
from rdflib.term import Node

from graph.outputs import network
from graph.text.chars import xml_text


def _xml_safe(value: object) -> object:
    return xml_text(value) if isinstance(value, str) else value


def for_xml(net: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of ``net`` whose names and text values XML 1.0 can hold.

    Controls that XML cannot hold even as character references (NUL, ESC, …), U+FFFE and
    U+FFFF are dropped and lone surrogates become U+FFFD (:func:`graph.text.chars.xml_text`).
    """
    safe = nx.MultiDiGraph()
    for node, attrs in net.nodes(data=True):
        safe.add_node(_xml_safe(node), **{k: _xml_safe(v) for k, v in attrs.items()})
    for head, tail, key, attrs in net.edges(keys=True, data=True):
        safe.add_edge(
            _xml_safe(head),
            _xml_safe(tail),
            key=_xml_safe(key),
            **{k: _xml_safe(v) for k, v in attrs.items()},
        )
    return safe


def to_graphml(graph: Graph, mentions: Mapping[Node, int] | None = None) -> bytes:
    """GraphML of the plain network (:func:`graph.outputs.network.to_network`), for Gephi,
    yEd and Cytoscape; ``mentions`` counts the mention nodes ``graph`` leaves out."""
    buffer = io.BytesIO()
    net = network.to_network(graph, plain=True, mentions=mentions)
    nx.write_graphml(for_xml(net), buffer, encoding="utf-8")
    return buffer.getvalue()


def to_gexf(graph: Graph) -> bytes:
    """GEXF 1.2 of the plain network (:func:`graph.outputs.network.to_network`), Gephi's own
    format.

    Every edge is directed (a graph with mixed edge types does not load back into
    networkx); symmetric facts carry ``symmetric=true``. The writer's date stamp is left
    out so the same graph always gives the same bytes.
    """
    buffer = io.BytesIO()
    nx.write_gexf(for_xml(network.to_network(graph, plain=True)), buffer, encoding="utf-8")
    return re.sub(rb' lastmodifieddate="[^"]*"', b"", buffer.getvalue(), count=1)
