"""The second held-out set is consistent: every annotation points at text that is there."""

from __future__ import annotations

import json

import pytest
from conftest import ROOT

from graph.eval.gold import load_gold
from graph.text.articles import read_articles

HELDOUT = ROOT / "tests" / "data" / "heldout2"
GOLD = load_gold(HELDOUT)
TEXTS = {a.id: a.text for a in read_articles([HELDOUT / "articles"])}
RELATIONS = [json.loads(x) for x in (HELDOUT / "relations.jsonl").read_text("utf-8").splitlines()]


def test_at_least_ten_articles_all_annotated():
    assert len(TEXTS) >= 10
    assert set(GOLD.docs) == set(TEXTS)


@pytest.mark.parametrize("entity", GOLD.entities, ids=lambda e: e.id)
def test_entity_is_written_in_each_of_its_articles(entity):
    for doc in entity.docs:
        assert any(n in TEXTS[doc] for n in (entity.name, *entity.aliases)), doc


@pytest.mark.parametrize("relation", RELATIONS, ids=lambda r: f"{r['head']}-{r['rel']}-{r['tail']}")
def test_relation_evidence_is_a_sentence_of_its_article(relation):
    assert relation["evidence"]
    assert relation["evidence"] in TEXTS[relation["doc"]].replace("\n", "")
    for end in (relation["head"], relation["tail"]):
        assert relation["doc"] in GOLD.entity(end).docs
