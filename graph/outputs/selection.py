"""Selections for the HTML page: the part of a graph a SPARQL query returns (nekg html -q)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph
from rdflib import Graph, URIRef
from rdflib.namespace import RDF
from rdflib.util import guess_format

from graph.display import shown
from graph.errors import GraphError, QueryError
from graph.outputs.network import ARTICLE_CLASSES, PROVENANCE_CLASSES, PROVENANCE_PREFIXES
from graph.query.guards import DEFAULT_TIMEOUT, _in_worker, check_limits
from graph.rdf.read import from_oxigraph, from_oxigraph_term
from graph.rdf.vocab import NEKG, PREFIXES

READABLE = {
    "turtle": "ox-turtle",
    "nt": "ox-ntriples",
    "xml": "ox-xml",
    "json-ld": "ox-json-ld",
    "n3": "ox-n3",
}


def _one_line(exc: Exception) -> str:
    text = " ".join(str(exc).split())
    return (text[:200] + " …" if len(text) > 200 else text) or type(exc).__name__


def load_graph(path: Path | str) -> Graph:
    """Read a Turtle/N-Triples/RDF-XML/JSON-LD file (a folder: its ``graph.ttl``) into rdflib on Oxigraph.

    >>> load_graph("no/such/graph.ttl")
    Traceback (most recent call last):
    ...
    graph.errors.GraphError: no/such/graph.ttl: no such graph file; run `nekg build` first or give --graph FILE
    """
    path = Path(path)
    if path.is_dir():
        path = path / "graph.ttl"
    if not path.is_file():
        raise GraphError(
            f"{shown(path)}: no such graph file; run `nekg build` first or give --graph FILE"
        )
    fmt = guess_format(str(path)) or "turtle"
    if fmt not in READABLE:
        raise GraphError(
            f"{shown(path)}: cannot draw {fmt} files; give a Turtle, N-Triples, RDF/XML or JSON-LD graph"
        )
    graph = Graph(store="Oxigraph")
    try:
        graph.parse(path, format=READABLE[fmt])
    except Exception as exc:  # parsers raise many unrelated types; report one line
        raise GraphError(f"{shown(path)}: cannot read as {fmt}: {_one_line(exc)}") from None
    return graph


def select(
    graph: Graph, query: str, *, timeout: float = DEFAULT_TIMEOUT, allow_remote: bool = False
) -> tuple[Graph, bool]:
    """The part of ``graph`` a SPARQL query asks about, ready for :func:`draw`.

    The usual prefixes (``nekg:``, ``skos:``, ``schema:`` …) need no declaration.
    A CONSTRUCT or DESCRIBE result is drawn as is. A SELECT result gives the IRIs in
    its rows (statements and mentions stand for what they are about) plus every
    relation among them. Returns the graph to draw and whether articles were asked for.

    The query is guarded as ``nekg query`` guards it: size and nesting are checked before
    it is parsed, SERVICE and LOAD are refused unless ``allow_remote``, and it is given up
    after ``timeout`` seconds. Oxigraph runs it (the graph is held in its store).
    """
    # the query library's own reading of the query's form, and its one-line syntax errors
    from graph.query.syntax import _ERROR_AT, _syntax_error, _unknown_prefix, query_form

    if query_form(query) == "UPDATE":
        raise QueryError("cannot draw a SPARQL update; give a CONSTRUCT, DESCRIBE or SELECT query")
    check_limits(query, allow_remote=allow_remote)
    kind = query_form(query)
    store = graph.store._inner  # the pyoxigraph store under rdflib (load_graph's Oxigraph store)
    prefixes = dict(PREFIXES)

    def run() -> Iterator[object]:
        # every Oxigraph object is made and dropped in the worker thread; terms go out
        answer = store.query(query, prefixes=prefixes, use_default_graph_as_union=True)
        if isinstance(answer, pyoxigraph.QueryBoolean):
            yield bool(answer)
            return
        if isinstance(answer, pyoxigraph.QueryTriples):
            yield from answer
            return
        for solution in answer:
            yield tuple(solution)

    try:
        items = list(_in_worker(run, timeout, "the query"))
    except QueryError:
        raise
    except Exception as exc:  # Oxigraph raises parser-specific types
        if _ERROR_AT.match(str(exc)) or _unknown_prefix(query, PREFIXES):
            raise _syntax_error(str(exc), query, PREFIXES) from None
        raise QueryError(f"cannot run the query: {_one_line(exc)}") from None
    if kind in ("CONSTRUCT", "DESCRIBE"):
        drawn = Graph()
        for triple in from_oxigraph(items):
            drawn.add(triple)
        return drawn, False
    if kind == "ASK":
        raise QueryError(
            "an ASK query gives only true/false; use SELECT or CONSTRUCT to draw a graph"
        )
    rows = [[from_oxigraph_term(v) for v in row if v is not None] for row in items]
    return _subgraph(graph, _iris(rows))


def _iris(rows: Iterable[Iterable[object]]) -> set[URIRef]:
    return {value for row in rows for value in row if isinstance(value, URIRef)}


def _subgraph(graph: Graph, iris: Iterable[URIRef]) -> tuple[Graph, bool]:
    look_types: dict[URIRef, set[URIRef]] = {}
    wanted: set[URIRef] = set()
    for iri in iris:
        types = set(graph.objects(iri, RDF.type))
        look_types[iri] = types
        if str(iri).startswith(PROVENANCE_PREFIXES) or types & PROVENANCE_CLASSES:
            for p in (RDF.subject, RDF.object, NEKG.mentionOf):
                wanted.update(o for o in graph.objects(iri, p) if isinstance(o, URIRef))
        else:
            wanted.add(iri)
    drawn = Graph()
    articles = False
    for iri in sorted(wanted):
        types = look_types.get(iri) or set(graph.objects(iri, RDF.type))
        articles = articles or bool(types & ARTICLE_CLASSES)
        for t in types:
            drawn.add((iri, RDF.type, t))
        for p, o in graph.predicate_objects(iri):
            if isinstance(o, URIRef) and o in wanted:
                drawn.add((iri, p, o))
    return drawn, articles
