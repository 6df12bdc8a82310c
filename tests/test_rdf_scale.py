"""The RDF stages at scale: the same graph, report and bytes however the work is split up.

The SPARQL constraints of the shapes run in an Oxigraph copy of the graph, in memory for
small graphs and in a temporary on-disk store for large ones; both must report the same
problems. The copy is loaded in chunks, which must not lose or add a triple.
"""

from __future__ import annotations

from collections import Counter, defaultdict

import pyoxigraph
import pytest
import rdflib
from rdflib import Literal
from rdflib.namespace import PROV, RDF, SKOS, XSD

from graph import store
from graph.outputs import export
from graph.rdf import build as rdf
from graph.rdf import read as rdf_read
from graph.rdf import validate
from graph.rdf import write as rdf_write
from graph.rdf.vocab import ID, NEKG, SCHEMA

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
    monkeypatch.setattr(rdf_read, "_CHUNK", chunk)
    store = rdf_read.to_oxigraph(hand_graph)
    back = {tuple(map(rdf_read.from_oxigraph_term, q.triple)) for q in store}
    assert back == set(hand_graph)
    assert len(store) == len(hand_graph)


def test_shared_terms_give_the_same_turtle(hand_extraction):
    first = rdf_write.to_turtle(rdf.to_graph(hand_extraction))
    for cached in (rdf._zh, rdf._plain, rdf._integer, rdf._canonical_decimal, rdf.entity_iri):
        cached.cache_clear()
    assert rdf_write.to_turtle(rdf.to_graph(hand_extraction)) == first


# --- sorted Turtle: a graph walked by subject gives the bytes of the triples grouped first ---


def _odd_graph(g):
    """Subjects of every rank, a blank node, a subject with two ranks, long object lists."""
    g.add((ID["article/a1"], RDF.type, NEKG.Company))  # an article that is also an entity
    g.add((rdflib.BNode("b1"), RDF.type, PROV.Entity))
    g.add((rdflib.BNode("b1"), NEKG.evidence, Literal('引号"与\n换行', lang="zh")))
    for n in range(12):
        g.add((CALB, SKOS.altLabel, Literal(f"别名{n:02d}很长的一个名字", lang="zh")))


@pytest.mark.parametrize(
    "mutate",
    [lambda g: None, _odd_graph, lambda g: g.remove((None, RDF.type, None))],
    ids=["as built", "odd subjects", "no types"],
)
def test_turtle_of_a_graph_equals_turtle_of_its_triples(hand_graph, mutate):
    mutate(hand_graph)
    walked = rdf_write.to_turtle(hand_graph)
    assert walked == rdf_write.to_turtle(list(hand_graph))
    assert walked == rdf_write.to_turtle(reversed(list(hand_graph)))
    assert rdf_write.to_turtle_bytes(hand_graph) == walked.encode("utf-8")


def test_turtle_bytes_of_an_empty_graph():
    assert rdf_write.to_turtle_bytes([]) == rdf_write.to_turtle([]).encode("utf-8")


def test_turtle_term_cache_may_be_cleared_any_time(hand_graph, monkeypatch):
    expected = rdf_write.to_turtle(hand_graph)
    monkeypatch.setattr(rdf_write, "_TERMS", 2)
    assert rdf_write.to_turtle(hand_graph) == expected


# --- named graphs per article: claims kept per node, not per triple ---------------------------


def _reference_split(graph):
    """The split as first written: every derived node's triples listed per article."""
    named, placed = defaultdict(list), set()
    for node, article in graph.subject_objects(PROV.wasDerivedFrom):
        if not isinstance(article, rdflib.URIRef):
            continue
        own = list(graph.triples((node, None, None)))
        named[article].extend(own)
        placed.update(own)
        if (node, RDF.type, RDF.Statement) in graph:
            fact = tuple(graph.value(node, p) for p in (RDF.subject, RDF.predicate, RDF.object))
            if None not in fact and fact in graph:
                named[article].append(fact)
                placed.add(fact)
        entity = graph.value(node, NEKG.mentionOf)
        if entity is not None and (article, SCHEMA.mentions, entity) in graph:
            named[article].append((article, SCHEMA.mentions, entity))
            placed.add((article, SCHEMA.mentions, entity))
    return {t for t in graph if t not in placed}, {a: set(ts) for a, ts in named.items()}


def _same_fact_in_both_articles(g):
    statement = _statement(g)
    copy = ID["statement/copy"]
    for p, o in g.predicate_objects(statement):
        g.add((copy, p, o))
    g.set((copy, PROV.wasDerivedFrom, ID["article/a2"]))


def _node_from_two_articles(g):
    g.add((_statement(g), PROV.wasDerivedFrom, ID["article/a2"]))


@pytest.mark.parametrize(
    "mutate",
    [lambda g: None, _same_fact_in_both_articles, _node_from_two_articles],
    ids=["as built", "one fact in two articles", "one node from two articles"],
)
def test_article_split_and_store_quads_as_defined(hand_graph, mutate):
    mutate(hand_graph)
    default, named = export.split_by_article(hand_graph)
    expected_default, expected_named = _reference_split(hand_graph)
    assert set(default) == expected_default
    assert {a: set(ts) for a, ts in named.items()} == expected_named
    # the store: a triple claimed by exactly one article is in its graph, the rest in default
    claims = Counter(t for ts in expected_named.values() for t in ts)
    expected_quads = {
        (t, next(a for a, ts in expected_named.items() if t in ts) if claims[t] == 1 else None)
        for t in hand_graph
    }
    quads = {
        (
            tuple(map(rdf_read.from_oxigraph_term, (q.subject, q.predicate, q.object))),
            None
            if q.graph_name == pyoxigraph.DefaultGraph()
            else rdf_read.from_oxigraph_term(q.graph_name),
        )
        for q in store.dataset_quads(hand_graph)
    }
    assert quads == expected_quads


@pytest.mark.parametrize("chunk", [3, 10**6])
def test_store_holds_the_same_quads_whatever_the_chunk(hand_graph, tmp_path, monkeypatch, chunk):
    monkeypatch.setattr(rdf_read, "_CHUNK", chunk)
    turtle = rdf_write.to_turtle_bytes(hand_graph)
    out = tmp_path / "out"
    store.save(out, [], None, {"graph.ttl": turtle}, store.dataset_quads(hand_graph))
    assert (out / "graph.ttl").read_bytes() == turtle
    saved = pyoxigraph.Store.read_only(str(store.current(out).oxigraph.resolve()))
    assert {str(q) for q in saved} == {str(q) for q in store.dataset_quads(hand_graph)}
