"""The named queries on the graph `nekg build` makes of seeds/: facts the seed articles state plainly."""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest
from conftest import SEEDS

from graph import pipeline
from graph.query import engine as query
from graph.query import named as query_named
from graph.query import params as query_params
from graph.query import sources as query_sources
from graph.query import terms as query_terms
from graph.text.articles import read_articles
from graph.text.normalize import normalize_name


@pytest.fixture(scope="module")
def seed_graph(tmp_path_factory) -> query_sources.LocalGraph:
    out = tmp_path_factory.mktemp("seed-graph")
    pipeline.build([SEEDS], out)
    return query_sources.LocalGraph.load(out / "graph.ttl")


def _named_rows(
    source: query_sources.LocalGraph, name: str, params: dict[str, str], keep: tuple[str, ...] = ()
) -> list[dict[str, str]]:
    """Rows as {variable: label or text}, IRIs replaced by their labels except in ``keep``."""
    named = query_named.named_query(name)
    result = query.run(source, named.text, params, declared=named.params, name=name)
    labels = query.label_map(source, result)
    return [
        {
            v: "" if t is None else t.value if v in keep else labels.get(t.value, t.value)
            for v, t in zip(result.variables, row, strict=True)
        }
        for row in result.rows
    ]


@pytest.mark.parametrize(
    ("name", "params", "column", "expected"),
    [
        (
            "entities-by-type",
            {"type": "Company"},
            "entity",
            {"中创新航", "宁德时代", "蜂巢能源", "天合光能"},
        ),
        # 中创新航 is located in 金坛, which is part of 常州.
        ("companies-in", {"place": "常州"}, "company", {"中创新航", "蜂巢能源"}),
        ("companies-in", {"place": "金坛"}, "company", {"中创新航", "蜂巢能源"}),
        ("chain-leaders", {"chain": "动力电池"}, "company", {"中创新航", "宁德时代", "蜂巢能源"}),
        ("partners", {"entity": "中创新航"}, "partner", {"常州大学"}),
        (
            "partners",
            {"entity": "常州大学"},
            "partner",
            {"中创新航"},
        ),  # stored once, found both ways
        ("policies-by-place", {"place": "常州"}, "policy", {"“532”发展战略"}),
        ("articles-mentioning", {"entity": "中创新航"}, "title", {"在新能源产业赛道上加速前行"}),
        ("about", {"entity": "中创新航"}, "object", {"金坛", "动力电池", "常州大学"}),
    ],
)
def test_query_seeds_named_query_finds_what_the_articles_say(
    seed_graph, name, params, column, expected
):
    found = {row[column] for row in _named_rows(seed_graph, name, params)}
    assert expected <= found, sorted(found)


def test_query_seeds_hierarchy_rows_name_the_exact_location(seed_graph):
    rows = _named_rows(seed_graph, "companies-in", {"place": "常州"})
    assert {
        "place": "常州",
        "company": "中创新航",
        "label": "中创新航",
        "location": "金坛",
        "locationLabel": "金坛",
    } in rows
    assert {row["place"] for row in rows} == {"常州"}


def test_query_seeds_entities_by_type_gives_only_that_type(seed_graph):
    rows = _named_rows(seed_graph, "entities-by-type", {"type": "Place"})
    assert {row["type"] for row in rows} == {query_terms.NEKG + "Place"}
    assert {"常州", "金坛", "溧阳"} <= {row["label"] for row in rows}


def test_query_seeds_about_evidence_points_into_the_original_text(seed_graph):
    """Each fact of `about` carries a sentence whose offsets cut the same words out of the article."""
    texts = {article.id: article.text for article in read_articles([SEEDS])}
    rows = [
        r
        for r in _named_rows(seed_graph, "about", {"entity": "中创新航"}, keep=("article",))
        if r["evidence"]
    ]
    located = [
        r for r in rows if r["relation"] == query_terms.NEKG + "locatedIn" and r["object"] == "金坛"
    ]
    assert located
    for row in rows:
        article_id = row["article"].rsplit("/", 1)[1]
        original = texts[article_id][int(row["start"]) : int(row["end"])]
        assert re.sub(r"\s", "", normalize_name(original)) == re.sub(
            r"\s", "", normalize_name(row["evidence"])
        )


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("companies-in", {"place": "常州"}),
        ("about", {"entity": "中创新航"}),
        ("partners", {}),
        ("chain-leaders", {}),
        ("articles-mentioning", {"entity": "宁德时代"}),
    ],
)
def test_query_seeds_rows_equal_bare_pyoxigraph(seed_graph, name, params):
    named = query_named.named_query(name)
    bound = query_params.bind_params(named.params, params, seed_graph)
    ours = query.run(seed_graph, named.text, params, declared=named.params)
    store = ox.Store()
    store.load(path=seed_graph.path, format=ox.RdfFormat.TURTLE)
    direct = store.query(named.text, substitutions={ox.Variable(k): v for k, v in bound.items()})
    assert list(ours.rows) == [tuple(s) for s in direct]
    assert ours.rows
