"""Fixtures shared by every test module."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# A copy of the five seed articles and their manifest: tests must not depend on what a user
# puts into seeds/ (the README invites adding files there).
SEEDS = ROOT / "tests" / "data" / "seeds" / "articles"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    """The five seed articles (a copy of seeds/ as shipped)."""
    return SEEDS


@pytest.fixture(scope="session")
def seed_articles():
    """The seed articles, read once."""
    from graph.text.articles import read_articles

    return read_articles([SEEDS])


def require_tool(name: str) -> str:
    """Path of an external tool; skip without it, unless NEKG_REQUIRE_TOOLS is set (CI)."""
    path = shutil.which(name)
    if path is None:
        if os.environ.get("NEKG_REQUIRE_TOOLS"):
            pytest.fail(f"{name} is required (NEKG_REQUIRE_TOOLS is set) but not installed")
        pytest.skip(f"{name} is not installed")
    return path


@pytest.fixture
def hand_extraction():
    """A small hand-built extraction with every kind of record (for the RDF stage's tests).

    Offsets are real: each sentence and mention is found in its article's text.
    """
    from graph.records import Article, Entity, Evidence, Extraction, Mention, Relation
    from graph.records import EntityType as T
    from graph.records import RelationType as R
    from graph.text.normalize import split_sentences

    texts = {
        "a1": "中创新航科技股份有限公司位于常州市金坛区。\n金坛区与中创新航签署合作协议。\n“532”发展战略由金坛区提出。",
        "a2": '宁德时代是动力电池产业链链主，董事长曾毓群表示"看好溧阳"。\n宁德时代与金坛区签署合作协议。',
    }
    articles = (
        Article(
            "a1",
            texts["a1"],
            title="金坛新能源",
            date="2023",
            source="金坛日报",
            url="https://example.com/news/1",
        ),
        Article("a2", texts["a2"], title="溧阳", date="2024-09"),
    )
    entities = (
        Entity("company/calb", T.COMPANY, "中创新航", ("中创新航科技股份有限公司", "中航锂电")),
        Entity("company/catl", T.COMPANY, "宁德时代", external=(("wikidata", "Q19841226"),)),
        Entity("place/320413", T.PLACE, "金坛区", external=(("adcode", "320413"),)),
        Entity("policy/532", T.POLICY, "“532”发展战略"),
        Entity("chain/power-battery", T.INDUSTRY_CHAIN, "动力电池"),
        Entity("person/zeng-yuqun", T.PERSON, "曾毓群"),
    )
    sentences = tuple(s for a in articles for s in split_sentences(a.id, a.text))

    def evidence(article: str, words: str, method: str, confidence: float = 0.9) -> Evidence:
        sentence = next(s for s in sentences if s.article_id == article and words in s.text)
        return Evidence(article, sentence.text, sentence.start, sentence.end, method, confidence)

    relations = (
        Relation(
            "company/calb", R.LOCATED_IN, "place/320413", (evidence("a1", "位于", "rule:位于"),)
        ),
        Relation(
            "place/320413",
            R.PARTNERS_WITH,
            "company/calb",
            (evidence("a1", "签署", "rule:签署", 0.8),),
        ),
        Relation(
            "company/catl",
            R.PARTNERS_WITH,
            "place/320413",
            (evidence("a2", "签署", "rule:签署", 0.8),),
        ),
        Relation(
            "policy/532", R.ISSUED_BY, "place/320413", (evidence("a1", "提出", "rule:提出", 1.0),)
        ),
        Relation(
            "company/catl",
            R.LEADS_CHAIN,
            "chain/power-battery",
            (evidence("a2", "链主", "rule:链主", 0.95),),
        ),
        Relation(
            "person/zeng-yuqun",
            R.HAS_ROLE,
            "company/catl",
            (evidence("a2", "董事长", "rule:职务", 0.7),),
            role="董事长",
        ),
    )
    names = {e.id: (e.name, *e.aliases) for e in entities}
    mentions = []
    for sentence in sentences:
        for entity in entities:
            for surface in names[entity.id]:
                at = sentence.text.find(surface)
                if at >= 0:
                    start, end = sentence.span(at, at + len(surface))
                    mentions.append(
                        Mention(
                            sentence.article_id,
                            sentence.index,
                            start,
                            end,
                            surface,
                            entity.type,
                            entity.id,
                            "alias",
                            1.0,
                        )
                    )
    return Extraction(articles, sentences, tuple(mentions), entities, relations)


@pytest.fixture
def hand_graph(hand_extraction):
    """The hand-built extraction as an rdflib graph."""
    from graph.rdf import build as rdf

    return rdf.to_graph(hand_extraction)


@pytest.fixture
def hand_ttl(tmp_path, hand_graph):
    """The hand-built graph written as Turtle into a temporary file."""
    from graph.rdf import write as rdf_write

    path = tmp_path / "graph.ttl"
    path.write_text(rdf_write.to_turtle(hand_graph), encoding="utf-8")
    return path
