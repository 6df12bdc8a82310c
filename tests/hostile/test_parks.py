"""The park an article is about (区内 / 园区内 read as that park): a table of mention counts."""

from __future__ import annotations

import pytest

from graph.records import Entity, EntityType, Mention
from graph.relations.parks import article_park

T = EntityType
ENTITIES = {
    "p/a": Entity("p/a", T.PLATFORM, "南浔经济开发区"),
    "p/b": Entity("p/b", T.PLATFORM, "长兴经开区"),
    "p/lab": Entity("p/lab", T.PLATFORM, "南浔新材料实验室"),
    "x/place": Entity("x/place", T.PLACE, "南浔区"),
}

CASES = [
    # (entity ids mentioned, in order; the article's park)
    (["p/a", "p/a"], "p/a"),
    (["p/a"], None),  # named once: not what the article is about
    (["p/a", "p/a", "p/a", "p/b", "p/b"], None),  # not twice as often as the other park
    (["p/a", "p/a", "p/a", "p/a", "p/b", "p/b"], "p/a"),
    (["p/lab", "p/lab", "p/lab"], None),  # a lab is no park
    (["x/place", "x/place", "x/place"], None),  # a place is read by the home place
    (["p/a", "p/a", "p/lab", "p/lab", "p/lab"], "p/a"),
]


@pytest.mark.parametrize(("ids", "park"), CASES)
def test_article_park(ids, park):
    mentions = [
        Mention("a", i, 0, 2, ENTITIES[e].name, ENTITIES[e].type, e) for i, e in enumerate(ids)
    ]
    assert article_park(mentions, ENTITIES) == park
