"""Reading RDF: graph files parsed by pyoxigraph, and terms between rdflib and Oxigraph."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from pathlib import Path

import pyoxigraph
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from graph.display import shown
from graph.errors import GraphError
from graph.rdf.build import _TERMS, STORE, Triple, new_graph


def read_graph(path: Path | str, *, store: str = STORE) -> Graph:
    """Load a Turtle graph file, or raise :class:`GraphError` saying what is wrong.

    The file is parsed by pyoxigraph either way (15x faster than rdflib's parser).

    >>> read_graph("no/such/graph.ttl")
    Traceback (most recent call last):
    ...
    graph.errors.GraphError: no/such/graph.ttl: no such graph file; build it with `nekg build` first
    """
    path = Path(path)
    if path.is_dir():
        raise GraphError(
            f"{shown(path)}: is a folder; give the graph file in it, e.g. {shown(path / 'graph.ttl')}"
        )
    if not path.is_file():
        raise GraphError(f"{shown(path)}: no such graph file; build it with `nekg build` first")
    graph = new_graph(store)
    try:
        if store == "Oxigraph":
            graph.parse(path, format="ox-turtle")
        else:
            convert = _from_oxigraph_factory()
            with path.open("rb") as handle:
                quads = pyoxigraph.parse(handle, format=pyoxigraph.RdfFormat.TURTLE)
                graph.addN((*convert(q), graph) for q in quads)
    except (SyntaxError, ValueError) as exc:
        reason = " ".join(str(exc).split())
        raise GraphError(
            f"{shown(path)}: not valid Turtle ({reason[:200]}); rebuild it with `nekg build`"
        ) from None
    return graph


def _converter(make: Callable[[object], object]) -> Callable[[object], object]:
    cache: dict[object, object] = {}

    def convert(term: object) -> object:
        found = cache.get(term)
        if found is None:
            found = cache[term] = make(term)
        return found

    return convert


def _term_from_oxigraph(term: object) -> Node:
    if isinstance(term, pyoxigraph.NamedNode):
        return URIRef(term.value)
    if isinstance(term, pyoxigraph.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        # rdflib reads "x" as a literal without datatype; Oxigraph says xsd:string
        return Literal(
            term.value, datatype=None if datatype == str(XSD.string) else URIRef(datatype)
        )
    if isinstance(term, pyoxigraph.BlankNode):
        return BNode(term.value)
    raise GraphError(f"cannot read {term} into rdflib (RDF 1.2 triple terms are not supported)")


def _term_to_oxigraph(term: Node) -> object:
    if isinstance(term, URIRef):
        return pyoxigraph.NamedNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return pyoxigraph.Literal(str(term), language=term.language)
        datatype = pyoxigraph.NamedNode(str(term.datatype or XSD.string))
        return pyoxigraph.Literal(str(term), datatype=datatype)
    if isinstance(term, BNode):
        return pyoxigraph.BlankNode(str(term))
    raise GraphError(f"cannot store {term!r} in Oxigraph")


def _from_oxigraph_factory() -> Callable[[pyoxigraph.Quad], Triple]:
    convert = _converter(_term_from_oxigraph)

    def triple(quad: pyoxigraph.Quad) -> Triple:
        return convert(quad.subject), convert(quad.predicate), convert(quad.object)

    return triple


def from_oxigraph_term(term: object) -> Node:
    """The rdflib term for a pyoxigraph term."""
    return _term_from_oxigraph(term)


def from_oxigraph(triples: Iterable[pyoxigraph.Triple]) -> Iterator[Triple]:
    """rdflib triples for pyoxigraph triples, e.g. to write them with :func:`to_turtle`."""
    convert = _converter(_term_from_oxigraph)
    for triple in triples:
        yield convert(triple.subject), convert(triple.predicate), convert(triple.object)


def to_oxigraph(
    graph: Graph | Iterable[Triple], path: Path | str | None = None
) -> pyoxigraph.Store:
    """A pyoxigraph store (default graph) holding the triples of ``graph``, for fast SPARQL.

    In memory, or on disk in the folder ``path``. The triples go in in chunks and only the
    most recent terms are kept converted, so loading takes little memory beyond the store's.
    """
    store = pyoxigraph.Store() if path is None else pyoxigraph.Store(str(path))
    convert = lru_cache(maxsize=_TERMS)(_term_to_oxigraph)
    quads = (
        pyoxigraph.Quad(convert(s), convert(p), convert(o), pyoxigraph.DefaultGraph())
        for s, p, o in graph
    )
    bulk_load(store, quads)
    return store


def bulk_load(store: pyoxigraph.Store, quads: Iterable[pyoxigraph.Quad]) -> None:
    """Load ``quads`` into ``store`` a chunk at a time (Oxigraph's bulk loader holds what it
    is given in memory, up to a million quads a thread)."""
    quads = iter(quads)
    while chunk := list(itertools.islice(quads, _CHUNK)):
        store.bulk_extend(chunk)


_CHUNK = 20_000  # quads per bulk load: the loader holds a chunk in memory at a time


def to_memory(graph: Graph) -> Graph:
    """``graph`` in rdflib's memory store (itself if it is there already)."""
    if type(graph.store).__name__ == "Memory":
        return graph
    copy = new_graph("default")
    convert = _from_oxigraph_factory()
    if type(graph.store).__name__ == "OxigraphStore":
        data = graph.serialize(format="ox-nt", encoding="utf-8")
        quads = pyoxigraph.parse(data, format=pyoxigraph.RdfFormat.N_TRIPLES)
        copy.addN((*convert(q), copy) for q in quads)
    else:
        copy.addN((s, p, o, copy) for s, p, o in graph)
    return copy
