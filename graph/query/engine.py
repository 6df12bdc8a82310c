"""SPARQL over the graph: a local file loaded into Oxigraph, or a remote endpoint.

A query comes as text or by name from the library in ``graph/queries/*.rq``. Each named
query starts with a one-line ``# description`` and declares its parameters::

    # Companies located in a place or anywhere inside it (a company in 金坛区 is in 常州).
    # @param place entity:Place  the place, by name (常州) or IRI

Parameters are bound, never pasted into the text: as a ``VALUES`` block at the start of the
WHERE group, of terms serialized by pyoxigraph in N-Triples syntax (so a value cannot change
the query's shape, and the planner can start from it), locally and on an endpoint alike.
A value may be a Chinese name, resolved to one entity through ``skos:prefLabel``,
``skos:altLabel`` and ``rdfs:label`` after :func:`graph.text.normalize.normalize_name`.

Every query is checked before it is parsed (:func:`check_limits`: size, nesting, SERVICE
and LOAD) and runs within the source's timeout (:func:`_in_worker`); an update of a file
holds a lock next to it and writes it with the build's Turtle writer.

>>> source = LocalGraph.from_text('''
...     @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
...     <https://w3id.org/nekg/id/place/320400> skos:prefLabel "常州市"@zh ; skos:altLabel "常州"@zh .
... ''')
>>> result = run(source, "SELECT ?place ?label WHERE { ?place skos:prefLabel ?label }", {"place": "常州"})
>>> [term.value for term in result.rows[0]]
['https://w3id.org/nekg/id/place/320400', '常州市']
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from pathlib import Path

import pyoxigraph as ox

from graph.errors import QueryError
from graph.query.endpoint import Endpoint
from graph.query.guards import DEFAULT_TIMEOUT, check_limits
from graph.query.named import Param, named_queries
from graph.query.params import bind_params
from graph.query.sources import LocalGraph, Result, Source
from graph.query.syntax import query_form
from graph.query.terms import DEFAULT_GRAPH

# --- running ---------------------------------------------------------------------------


def open_source(
    graph: Path | str | None = None,
    endpoint: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    *,
    allow_remote: bool = False,
) -> Source:
    """A local graph file (default ``out/graph.ttl``) or a remote endpoint, not both.

    Every query and update on it is given up after ``timeout`` seconds; SERVICE and LOAD,
    which fetch from the network, are refused unless ``allow_remote``.
    """
    if graph is not None and endpoint:
        raise QueryError("give either --graph FILE or --endpoint URL, not both")
    if not math.isfinite(timeout) or timeout <= 0:
        raise QueryError(f"--timeout {timeout}: give a number of seconds above 0")
    if endpoint:
        return Endpoint(endpoint, timeout, allow_remote=allow_remote)
    return LocalGraph.load(
        graph if graph is not None else DEFAULT_GRAPH, timeout=timeout, allow_remote=allow_remote
    )


def run(
    source: Source,
    text: str,
    values: Mapping[str, str] | None = None,
    *,
    declared: Sequence[Param] | None = None,
    name: str = "",
    allow_update: bool = False,
    stream: bool = False,
) -> Result | str:
    """Run a query (or, when allowed, an update) on ``source``.

    Returns the :class:`Result` of a query, or the summary line of an update. With
    ``stream`` the rows or triples of the result are read as they come (within the
    source's timeout) instead of all at once.
    """
    check_limits(text, allow_remote=getattr(source, "allow_remote", False))
    form = query_form(text)
    if form == "UPDATE":
        if not allow_update:
            raise QueryError(
                "refusing to run a SPARQL update: queries are read-only; add --update to change the graph"
            )
        if values:
            raise QueryError("--param cannot be used with an update")
        return source.update(text)
    bindings = bind_params(declared, values or {}, source, text=text, where=name or "the query")
    return source.execute(text, bindings, stream=stream)


def label_map(source: Source, result: Result) -> dict[str, str]:
    """Labels for every IRI in ``result``."""
    iris = {term.value for row in result.rows for term in row if isinstance(term, ox.NamedNode)} | {
        term.value
        for triple in result.triples
        for term in (triple.subject, triple.object)
        if isinstance(term, ox.NamedNode)
    }
    return source.labels_of(iris) if iris else {}


def describe_queries() -> list[tuple[str, str, str]]:
    """``(name, parameters, description)`` of every named query."""
    return [
        (q.name, " ".join(p.usage() for p in q.params), q.description)
        for q in named_queries().values()
    ]
