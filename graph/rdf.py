"""The RDF stage: records in, an rdflib graph out; the only module that builds rdflib terms."""

from __future__ import annotations

from pathlib import Path

from rdflib import RDF, Graph, Literal, Namespace, URIRef

from graph.files import atomic_write
from graph.records import Extraction

NEKG = Namespace("https://w3id.org/nekg/ontology#")
ID = Namespace("https://w3id.org/nekg/id/")


def to_graph(extraction: Extraction) -> Graph:
    """Articles and their sentences as RDF (entities and relations come later)."""
    graph = Graph()
    graph.bind("nekg", NEKG)
    graph.bind("id", ID)
    for article in extraction.articles:
        node = URIRef(ID[f"article/{article.id}"])
        graph.add((node, RDF.type, NEKG.Article))
        if article.title:
            graph.add((node, NEKG.title, Literal(article.title, lang="zh")))
    return graph


def write_outputs(graph: Graph, extraction: Extraction, out: Path) -> list[Path]:
    """Write ``graph.ttl`` into ``out``; return the paths written."""
    return [atomic_write(Path(out) / "graph.ttl", graph.serialize(format="turtle"))]
