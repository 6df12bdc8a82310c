"""The RDF stages at scale: the same graph, report and bytes however the work is split up.

The SPARQL constraints of the shapes run in an Oxigraph copy of the graph, in memory for
small graphs and in a temporary on-disk store for large ones; both must report the same
problems. The copy is loaded in chunks, which must not lose or add a triple.
"""

from __future__ import annotations

import pytest
from rdflib import Literal
from rdflib.namespace import PROV, RDF, SKOS, XSD

from graph import rdf, validate
from graph.vocab import ID, NEKG

CALB, CATL, PLACE, CHAIN = (
    ID["company/calb"],
    ID["company/catl"],
    ID["place/320413"],
    ID["chain/power-battery"],
)


def _statement(graph):
    return next(
        s
        for s in graph.subjects(RDF.subject, CALB)
        if (s, RDF.predicate, NEKG.locatedIn) in graph and (s, RDF.object, PLACE) in graph
    )


def _add(*triple):
    return lambda g: g.add(triple)


def _statement_set(predicate, value):
    return lambda g: g.set((_statement(g), predicate, value))


def _statement_drop(predicate):
    return lambda g: g.remove((_statement(g), predicate, None))


def _several(*mutations):
    def mutate(g):
        for m in mutations:
            m(g)

    return mutate


# What is broken, and the messages (substrings) the violations must carry.
BROKEN = [
    ("nothing", lambda g: None, []),
    ("fact without evidence", _add(CATL, NEKG.locatedIn, PLACE), ["fact has no evidence"]),
    (
        "a place leads a chain",
        _add(PLACE, NEKG.leadsChain, CHAIN),
        ["only a Company can lead", "fact has no evidence"],
    ),
    (
        "evidence of a fact not in the graph",
        lambda g: g.remove((CALB, NEKG.locatedIn, PLACE)),
        ["not in the graph"],
    ),
    (
        "a role on a locatedIn",
        _statement_set(NEKG.role, Literal("董事长", lang="zh")),
        ["only on evidence of a nekg:hasRole"],
    ),
    ("a second prefLabel", _add(CALB, SKOS.prefLabel, Literal("中航", lang="zh")), ["prefLabel"]),
    (
        "confidence above 1 and no source article",
        _several(
            _statement_set(NEKG.confidence, Literal("1.5", datatype=XSD.decimal)),
            _statement_drop(PROV.wasDerivedFrom),
        ),
        ["from 0 to 1", "source nekg:Article"],
    ),
    ("entity without class", lambda g: g.remove((CHAIN, RDF.type, None)), ["nekg class"]),
]


@pytest.mark.parametrize(
    ("mutate", "messages"), [(m, msgs) for _, m, msgs in BROKEN], ids=[n for n, _, _ in BROKEN]
)
def test_shacl_reports_the_same_problems_in_memory_and_on_disk(hand_graph, mutate, messages):
    mutate(hand_graph)
    in_memory = validate.validate(hand_graph, on_disk=False)
    on_disk = validate.validate(hand_graph, on_disk=True)
    assert on_disk.problems == in_memory.problems
    found = {p.message for p in on_disk.violations}
    for message in messages:
        assert any(message in m for m in found), "\n".join(sorted(found))
    assert bool(messages) == (not on_disk.conforms)


def test_shacl_on_disk_is_chosen_by_size(hand_graph, monkeypatch):
    hand_graph.add((CATL, NEKG.locatedIn, PLACE))  # one SPARQL violation
    expected = validate.validate(hand_graph, on_disk=False).problems
    monkeypatch.setattr(validate, "ON_DISK_ABOVE", 1)
    assert validate.validate(hand_graph).problems == expected


@pytest.mark.parametrize("chunk", [1, 7, 1000, 10**6])
def test_oxigraph_copy_holds_every_triple_whatever_the_chunk(hand_graph, monkeypatch, chunk):
    monkeypatch.setattr(rdf, "_CHUNK", chunk)
    store = rdf.to_oxigraph(hand_graph)
    back = {tuple(map(rdf.from_oxigraph_term, q.triple)) for q in store}
    assert back == set(hand_graph)
    assert len(store) == len(hand_graph)


def test_shared_terms_give_the_same_turtle(hand_extraction):
    first = rdf.to_turtle(rdf.to_graph(hand_extraction))
    for cached in (rdf._zh, rdf._plain, rdf._integer, rdf._canonical_decimal, rdf.entity_iri):
        cached.cache_clear()
    assert rdf.to_turtle(rdf.to_graph(hand_extraction)) == first
