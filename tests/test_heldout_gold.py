"""The held-out sets are consistent: every annotation points at text that is there."""

from __future__ import annotations

import json

import pytest
from conftest import ROOT

from graph.eval.gold import load_gold
from graph.text.articles import read_articles

SETS = ("heldout2", "heldout3")


def _load(name: str):
    folder = ROOT / "tests" / "data" / name
    gold = load_gold(folder)
    texts = {a.id: a.text for a in read_articles([folder / "articles"])}
    lines = (folder / "relations.jsonl").read_text("utf-8").splitlines()
    return gold, texts, [json.loads(x) for x in lines]


LOADED = {name: _load(name) for name in SETS}
ENTITIES = [(s, e) for s in SETS for e in LOADED[s][0].entities]
RELATIONS = [(s, r) for s in SETS for r in LOADED[s][2]]


@pytest.mark.parametrize("name", SETS)
def test_at_least_ten_articles_all_annotated(name):
    gold, texts, _ = LOADED[name]
    assert len(texts) >= 10
    assert set(gold.docs) == set(texts)


@pytest.mark.parametrize(("name", "entity"), ENTITIES, ids=lambda x: getattr(x, "id", x))
def test_entity_is_written_in_each_of_its_articles(name, entity):
    texts = LOADED[name][1]
    for doc in entity.docs:
        assert any(n in texts[doc] for n in (entity.name, *entity.aliases)), doc


@pytest.mark.parametrize(
    ("name", "relation"),
    RELATIONS,
    ids=lambda x: x if isinstance(x, str) else f"{x['head']}-{x['rel']}-{x['tail']}",
)
def test_relation_evidence_is_a_sentence_of_its_article(name, relation):
    gold, texts, _ = LOADED[name]
    assert relation["evidence"]
    assert relation["evidence"] in texts[relation["doc"]].replace("\n", "")
    for end in (relation["head"], relation["tail"]):
        assert relation["doc"] in gold.entity(end).docs
