"""Mention nodes made from the records when writing, not held in the graph: same bytes.

``to_turtle_bytes(to_graph(ex, mention_nodes=False), MentionNodes(ex))`` must be the
bytes of ``to_turtle_bytes(to_graph(ex))`` for every extraction: the record-made subject
blocks are merged into the sorted stream at their places, duplicates of one node merged,
the prefixes the same. The table lists the inputs where that can go wrong.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Literal
from rdflib.namespace import RDFS

from graph import pipeline, store
from graph.outputs import export, html
from graph.rdf import build as rdf
from graph.rdf import validate
from graph.rdf import write as rdf_write
from graph.rdf.counts import count
from graph.rdf.vocab import NEKG
from graph.records import (
    Article,
    Entity,
    EntityType,
    Evidence,
    Extraction,
    Mention,
    Relation,
    RelationType,
    Sentence,
)

TEXT = '金坛区位于常州。"宁德"\\时代\n在金坛。'


def _sentence(index: int, start: int, end: int) -> Sentence:
    text = TEXT[start:end]
    return Sentence("a1", index, text, start, end, tuple(range(start, end)))


SENTENCES = (_sentence(0, 0, 8), _sentence(1, 8, len(TEXT)))
ENTITIES = (
    Entity("place/320413", EntityType.PLACE, "金坛区"),
    Entity("place/320400", EntityType.PLACE, "常州"),
    Entity("company/catl", EntityType.COMPANY, '"宁德"\\时代'),
)


def _mention(start: int, end: int, entity: str, **kw: object) -> Mention:
    fields = {"sentence": 0 if start < 8 else 1, "type": EntityType.PLACE, "method": "gazetteer"}
    fields.update(kw)
    return Mention("a1", start=start, end=end, text=TEXT[start:end], entity_id=entity, **fields)


def _extraction(*mentions: Mention, sentences: tuple[Sentence, ...] = SENTENCES) -> Extraction:
    return Extraction(
        articles=(Article("a1", TEXT, title="金坛"),),
        sentences=sentences,
        mentions=mentions,
        entities=ENTITIES,
    )


CASES = [
    ("no mention", _extraction()),
    ("one mention", _extraction(_mention(0, 3, "place/320413"))),
    (
        "two mentions, one entity",
        _extraction(_mention(0, 3, "place/320413"), _mention(18, 20, "place/320413")),
    ),
    (
        "one node from two records (other method and rule)",
        _extraction(
            _mention(0, 3, "place/320413", rule="gazetteer-place"),
            _mention(0, 3, "place/320413", method="alias", rule="alias", confidence=0.8),
        ),
    ),
    (
        "the same record twice",
        _extraction(_mention(5, 7, "place/320400"), _mention(5, 7, "place/320400")),
    ),
    ("unresolved mention (no node)", _extraction(_mention(0, 3, ""))),
    (
        "wrong sentence index: found by offset",
        _extraction(_mention(0, 3, "place/320413", sentence=1)),
    ),
    (
        "no sentence holds it: no evidence",
        _extraction(_mention(0, 3, "place/320413"), sentences=()),
    ),
    (
        "quotes, backslash and line break in the surface",
        _extraction(_mention(8, 16, "company/catl", type=EntityType.COMPANY)),
    ),
]


@pytest.mark.parametrize("extraction", [c[1] for c in CASES], ids=[c[0] for c in CASES])
def test_mention_nodes_from_records_give_the_same_turtle(extraction: Extraction) -> None:
    full = rdf.to_graph(extraction)
    lean = rdf.to_graph(extraction, mention_nodes=False)
    nodes = rdf.MentionNodes(extraction)
    assert set(lean) | set(nodes()) == set(full)
    assert not any((s, None, None) in lean for s in nodes)
    assert rdf_write.to_turtle_bytes(lean, nodes) == rdf_write.to_turtle_bytes(full)
    assert rdf_write.to_turtle(list(lean), nodes) == rdf_write.to_turtle(full)


def test_a_subject_in_both_gets_one_block_with_all_its_triples() -> None:
    extraction = _extraction(_mention(0, 3, "place/320413"))
    nodes = rdf.MentionNodes(extraction)
    (node,) = nodes
    lean = rdf.to_graph(extraction, mention_nodes=False)
    lean.add((node, RDFS.comment, Literal("checked")))
    full = rdf.to_graph(extraction)
    full.add((node, RDFS.comment, Literal("checked")))
    assert rdf_write.to_turtle(lean, nodes) == rdf_write.to_turtle(full)


def test_seed_graph_without_mention_nodes_writes_the_same_bytes() -> None:
    extraction = pipeline.run([Path("tests/data/seeds/articles")])
    lean = rdf.to_graph(extraction, mention_nodes=False)
    nodes = rdf.MentionNodes(extraction)
    full = rdf.to_graph(extraction)
    assert len(nodes) == len(set(full.subjects(None, NEKG.Mention)))
    assert len(lean) + sum(1 for _ in set(nodes())) == len(full)
    assert rdf_write.to_turtle_bytes(lean, nodes) == rdf_write.to_turtle_bytes(full)


_SPANS = st.tuples(st.integers(0, len(TEXT) - 1), st.integers(1, 4)).map(
    lambda t: (t[0], min(len(TEXT), t[0] + t[1]))
)
_MENTIONS = st.builds(
    lambda span, entity, method, confidence: _mention(
        span[0], span[1], entity, method=method, confidence=confidence
    ),
    _SPANS,
    st.sampled_from(["place/320413", "place/320400", "company/catl", ""]),
    st.sampled_from(["gazetteer", "alias", ""]),
    st.sampled_from([1.0, 0.9, 0.55]),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(_MENTIONS, max_size=12))
def test_any_mentions_give_the_same_turtle(mentions: list[Mention]) -> None:
    extraction = _extraction(*mentions)
    lean = rdf.to_graph(extraction, mention_nodes=False)
    full = rdf.to_graph(extraction)
    nodes = rdf.MentionNodes(extraction)
    assert rdf_write.to_turtle_bytes(lean, nodes) == rdf_write.to_turtle_bytes(full)


def _quads(quads: object) -> set[str]:
    return {str(q) for q in quads}


@pytest.mark.parametrize("extraction", [c[1] for c in CASES], ids=[c[0] for c in CASES])
def test_mention_nodes_from_records_give_the_same_store_quads(extraction: Extraction) -> None:
    full = rdf.to_graph(extraction)
    lean = rdf.to_graph(extraction, mention_nodes=False)
    nodes = rdf.MentionNodes(extraction)
    assert _quads(store.dataset_quads(lean, nodes)) == _quads(store.dataset_quads(full))
    assert len(list(store.dataset_quads(lean, nodes))) == len(full)  # each triple once


def test_seed_store_quads_without_mention_nodes_are_the_same() -> None:
    extraction = pipeline.run([Path("tests/data/seeds/articles")])
    lean = rdf.to_graph(extraction, mention_nodes=False)
    nodes = rdf.MentionNodes(extraction)
    full = rdf.to_graph(extraction)
    assert _quads(store.dataset_quads(lean, nodes)) == _quads(store.dataset_quads(full))


# --- validation: the same problems with the mention nodes checked by batch -------------

CATL = Entity("company/catl", EntityType.COMPANY, '"宁德"\\时代')
LOCATED = Relation(
    "company/catl",
    RelationType.LOCATED_IN,
    "company/catl",
    (Evidence("a1", TEXT[8:], 8, len(TEXT), "located", 0.9),),
)

BROKEN = [
    (
        "valid: two mentions",
        _extraction(_mention(0, 3, "place/320413"), _mention(5, 7, "place/320400")),
    ),
    ("mentioned entity not in the graph", _extraction(_mention(0, 3, "place/999999"))),
    (
        "entity without a name, sources from its mentions",
        replace(
            _extraction(_mention(0, 3, "place/320413"), _mention(18, 20, "place/320413")),
            entities=(Entity("place/320413", EntityType.PLACE, ""), *ENTITIES[1:]),
        ),
    ),
    ("confidence above 1", _extraction(_mention(0, 3, "place/320413", confidence=1.5))),
    ("no sentence: no evidence", _extraction(_mention(0, 3, "place/320413"), sentences=())),
    ("start not below end", _extraction(_mention(3, 3, "place/320413"))),
    ("negative start", _extraction(replace(_mention(0, 3, "place/320413"), start=-1))),
    ("empty surface", _extraction(replace(_mention(0, 3, "place/320413"), text=""))),
    (
        "article not in the graph",
        _extraction(replace(_mention(0, 3, "place/320413"), article_id="a2")),
    ),
    (
        "one node, two rules and two methods",
        _extraction(
            _mention(0, 3, "place/320413", rule="gazetteer-place"),
            _mention(0, 3, "place/320413", method="alias", rule="alias"),
        ),
    ),
    (
        "fact between wrong types, with mentions",
        replace(_extraction(_mention(8, 16, "company/catl")), relations=(LOCATED,)),
    ),
]


@pytest.mark.parametrize("batch", [1, 2, 1000])
@pytest.mark.parametrize("extraction", [c[1] for c in BROKEN], ids=[c[0] for c in BROKEN])
def test_mention_nodes_checked_by_batch_give_the_same_report(
    extraction: Extraction, batch: int
) -> None:
    old = validate.validate(rdf.to_graph(extraction))
    new = validate.validate(
        rdf.to_graph(extraction, mention_nodes=False),
        nodes=rdf.MentionNodes(extraction),
        batch=batch,
    )
    assert new.problems == old.problems
    assert new.triples == old.triples


def test_the_broken_table_breaks_the_shapes() -> None:
    """Every row but the first is a problem the shapes report (the table tests something)."""
    found = [validate.validate(rdf.to_graph(e)).problems for _, e in BROKEN]
    assert not found[0]
    assert all(found[1:]), [name for (name, _), p in zip(BROKEN, found, strict=True) if not p]


@pytest.mark.parametrize("extraction", [c[1] for c in CASES], ids=[c[0] for c in CASES])
def test_views_without_mention_nodes_are_the_same(extraction: Extraction) -> None:
    full = rdf.to_graph(extraction)
    lean = rdf.to_graph(extraction, mention_nodes=False)
    mentions = rdf.MentionNodes(extraction).per_entity()
    assert export.to_graphml(lean, mentions) == export.to_graphml(full)
    assert html.draw(lean) == html.draw(full)
    assert count(lean) == count(full)
